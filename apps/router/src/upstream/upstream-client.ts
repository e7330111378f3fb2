import {
  describeFailure,
  openAiErrorOf,
  parseJsonObject,
  readLimitedText,
  type CallChannel,
  type ProviderAdapter,
  type UpstreamCall,
  type UpstreamHttp,
} from '@tollgate/providers';

/** What one of the router's own upstream calls found. */
export interface ProbeResult {
  /** HTTP status, or 0 when the upstream could not be reached or did not answer in time. */
  status: number;
  latencyMs: number;
  /** The upstream's error message or the connection failure; null on 2xx. */
  error: string | null;
  /** The upstream's error code (as the adapter reads it), if any. */
  errorCode: string | null;
}

const MAX_ERROR_LENGTH = 300;
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Sends one request the router makes itself (channel tests, auto-enable
 * probes) — not client traffic, which the edge relays — through the same
 * client and adapter the edge uses. The whole call is bounded by
 * `totalTimeoutMs`; the API key is scrubbed from anything returned, in case
 * an upstream echoes it.
 */
export async function sendUpstream(args: {
  http: UpstreamHttp;
  adapter: ProviderAdapter;
  call: UpstreamCall;
  channel: CallChannel;
  totalTimeoutMs: number;
  secret: string;
}): Promise<ProbeResult> {
  const { http, adapter, call, channel, secret } = args;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const result = await http.send(call, channel, AbortSignal.timeout(args.totalTimeoutMs));
  if (result.kind === 'failure') {
    return { status: 0, latencyMs: elapsed(), error: scrub(result.reason, secret), errorCode: null };
  }
  let text: string;
  try {
    text = await readLimitedText(result.body, MAX_BODY_BYTES);
  } catch (error) {
    return { status: 0, latencyMs: elapsed(), error: scrub(describeFailure(error), secret), errorCode: null };
  }
  const latencyMs = elapsed();
  if (result.status >= 200 && result.status < 300) {
    return { status: result.status, latencyMs, error: null, errorCode: null };
  }
  const json = parseJsonObject(text);
  const message = openAiErrorOf(adapter.clientError(result.status, json, Buffer.from(text))).message;
  return {
    status: result.status,
    latencyMs,
    error: scrub(message ?? (text.trim() || `HTTP ${result.status}`), secret),
    errorCode: adapter.classify(result.status, json).errorCode,
  };
}

function scrub(text: string, secret: string): string {
  const clean = secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
  return clean.length > MAX_ERROR_LENGTH ? `${clean.slice(0, MAX_ERROR_LENGTH)}…` : clean;
}
