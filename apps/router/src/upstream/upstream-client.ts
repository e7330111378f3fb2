import { Agent, errors, request } from 'undici';
import type { ChannelTimeouts } from '@tollgate/contracts';
import type { UpstreamCall } from '../providers/provider-adapter.js';

export interface UpstreamResult {
  /** HTTP status, or 0 when the upstream could not be reached or did not answer in time. */
  status: number;
  latencyMs: number;
  /** The upstream's error message or the connection failure; null on 2xx. */
  error: string | null;
  /** OpenAI-style `error.code` from the body, if any. */
  errorCode: string | null;
}

const MAX_ERROR_LENGTH = 300;
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Sends one request the router makes itself (channel tests, auto-enable
 * probes) — not client traffic, which the edge proxies. Each call gets its
 * own dispatcher with the channel's connect timeout and closes it afterwards:
 * these calls are rare, and no socket outlives them. The API key is scrubbed
 * from anything returned, in case an upstream echoes it.
 */
export async function sendUpstream(
  call: UpstreamCall,
  timeouts: ChannelTimeouts,
  totalTimeoutMs: number,
  secret: string,
): Promise<UpstreamResult> {
  const dispatcher = new Agent({ connect: { timeout: timeouts.connectMs } });
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await request(call.url, {
      dispatcher,
      method: call.method,
      headers: call.headers,
      body: call.body,
      headersTimeout: timeouts.firstByteMs,
      bodyTimeout: timeouts.idleMs,
      signal: AbortSignal.timeout(totalTimeoutMs),
    });
    const text = await readLimited(response.body, MAX_BODY_BYTES);
    const latencyMs = elapsed();
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return { status: response.statusCode, latencyMs, error: null, errorCode: null };
    }
    const parsed = parseOpenAiError(text);
    return {
      status: response.statusCode,
      latencyMs,
      error: scrub(parsed.message ?? (text.trim() || `HTTP ${response.statusCode}`), secret),
      errorCode: parsed.code,
    };
  } catch (error) {
    return { status: 0, latencyMs: elapsed(), error: scrub(describeFailure(error), secret), errorCode: null };
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

async function readLimited(body: AsyncIterable<Buffer | Uint8Array | string>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    if (size < limit) chunks.push(buffer.subarray(0, limit - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseOpenAiError(text: string): { message: string | null; code: string | null } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const error: unknown = parsed.error;
      if (typeof error === 'object' && error !== null) {
        const message = 'message' in error && typeof error.message === 'string' ? error.message : null;
        const code = 'code' in error && typeof error.code === 'string' ? error.code : null;
        return { message, code };
      }
      if (typeof error === 'string') return { message: error, code: null };
    }
  } catch {
    // Not JSON: the caller shows the text itself.
  }
  return { message: null, code: null };
}

function describeFailure(error: unknown): string {
  if (error instanceof errors.ConnectTimeoutError) return 'connect timeout';
  if (error instanceof errors.HeadersTimeoutError) return 'no response before the first-byte timeout';
  if (error instanceof errors.BodyTimeoutError) return 'response stalled past the idle timeout';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'no complete answer in time';
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

function scrub(text: string, secret: string): string {
  const clean = secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
  return clean.length > MAX_ERROR_LENGTH ? `${clean.slice(0, MAX_ERROR_LENGTH)}…` : clean;
}
