import { randomBytes } from 'node:crypto';

/** A fresh id in Anthropic's alphabet, for an answer whose upstream gave none. */
const freshId = (): string => randomBytes(12).toString('base64url');

/**
 * An id with Anthropic's prefix (`msg_`, `toolu_`) from the upstream's own
 * (`chatcmpl-…`, `call_…`), which it replaces; deterministic, so a tool call
 * keeps one id across the answer and the client's next request (which
 * sends it back as the tool_use and tool_result id, both passed on as they
 * came).
 */
export function anthropicId(prefix: 'msg_' | 'toolu_', upstreamId: unknown): string {
  if (typeof upstreamId !== 'string' || upstreamId === '') return prefix + freshId();
  if (upstreamId.startsWith(prefix)) return upstreamId;
  return prefix + upstreamId.replace(/^(chatcmpl-|call_|msg_|toolu_)/, '');
}
