import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { ChannelTimeouts } from '@tollgate/contracts';
import { endSpan, SpanKind, startSpan, tracing } from '@tollgate/observability';
import type { UpstreamCall } from './provider-adapter.js';

export type UpstreamBody = Dispatcher.ResponseData['body'];

/** What one upstream call gave: an answer (any status), or no answer at all. */
export type UpstreamResult =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; body: UpstreamBody }
  | { kind: 'failure'; timedOut: boolean; reason: string };

/** The channel an upstream call is for: its pool and timeouts. */
export interface CallChannel {
  channelId: number;
  timeouts: ChannelTimeouts;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * The one HTTP client to upstream providers, for client traffic (the edge)
 * and the router's own calls (channel tests, auto-enable probes): undici
 * with keep-alive pools, one Agent per channel, because the connect timeout
 * is a per-channel setting and an Agent's own. The first-byte timeout is
 * undici's headersTimeout and the silence-between-chunks timeout its
 * bodyTimeout.
 */
export class UpstreamHttp {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly poolSize = 256) {}

  async send(call: UpstreamCall, channel: CallChannel, signal?: AbortSignal): Promise<UpstreamResult> {
    const url = new URL(call.url);
    // The call's span, when tracing is on: from the request until its body is read or dropped. No query
    // string (Gemini's key may travel there) and no headers; nothing of ours is sent upstream.
    const span = tracing.enabled
      ? startSpan(`upstream ${call.method}`, SpanKind.CLIENT, {
          'http.request.method': call.method,
          'server.address': url.hostname,
          'url.path': url.pathname,
          'tollgate.channel_id': channel.channelId,
        })
      : undefined;
    try {
      const response = await this.agentFor(channel).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: call.method,
        headers: call.headers,
        body: call.body,
        headersTimeout: channel.timeouts.firstByteMs,
        bodyTimeout: channel.timeouts.idleMs,
        signal,
      });
      if (span) {
        span.setAttribute('http.response.status_code', response.statusCode);
        response.body.once('close', () =>
          endSpan(span, response.statusCode >= 500 ? `HTTP ${response.statusCode}` : undefined),
        );
      }
      return { kind: 'response', status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      const reason = describeFailure(error);
      endSpan(span, reason);
      return { kind: 'failure', timedOut: isTimeout(error), reason };
    }
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((agent) => agent.close()));
  }

  private agentFor(channel: CallChannel): Agent {
    const key = `${channel.channelId}:${channel.timeouts.connectMs}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        connect: { timeout: channel.timeouts.connectMs },
        keepAliveTimeout: 30_000,
        connections: this.poolSize,
      });
      this.agents.set(key, agent);
    }
    return agent;
  }
}

export function isTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' && TIMEOUT_CODES.has(code)) ||
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  );
}

/** A short, secret-free description for logs and channel tests (never the request, which carries the key). */
export function describeFailure(error: unknown): string {
  if (error instanceof undiciErrors.ConnectTimeoutError) return 'connect timeout';
  if (error instanceof undiciErrors.HeadersTimeoutError) return 'no response before the first-byte timeout';
  if (error instanceof undiciErrors.BodyTimeoutError) return 'response stalled past the idle timeout';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'no complete answer in time';
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** Reads at most `limit` bytes of a body as text, draining the rest (so the connection can be reused). */
export async function readLimitedText(
  body: AsyncIterable<Buffer | Uint8Array | string>,
  limit: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.from(chunk);
    if (size < limit) chunks.push(buffer.subarray(0, limit - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
