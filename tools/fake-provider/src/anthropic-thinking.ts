/**
 * Extended thinking on the fake's Messages API. A request that enables it (`thinking: { type: 'enabled',
 * budget_tokens }` or `{ type: 'adaptive' }`) is answered as Anthropic answers one: a `thinking` block (its
 * text and a signature) before the answer, streamed as its own block of `thinking_delta` pieces closed by a
 * `signature_delta`. The thinking's words count as output tokens, as Anthropic bills them. The budget is
 * checked in Anthropic's wording: at least 1024 tokens, and less than `max_tokens`.
 */
import { anthropicInvalidRequest } from './anthropic-error.js';
import { isRecord } from './json-guards.js';

/** The fake's thinking, streamed one word per `thinking_delta`. */
export const FAKE_THINKING = 'Let me think about this carefully.';
/** A stand-in for Anthropic's opaque signature: base64, as a client that stores and resends it sees one. */
export const FAKE_THINKING_SIGNATURE = 'ZmFrZS10aGlua2luZy1zaWduYXR1cmU=';

const MIN_BUDGET = 1024;

/** The thinking's words, as the stream sends them (each but the first with its leading space). */
export const thinkingPieces = (): string[] => FAKE_THINKING.split(/(?= )/);

/** Whether the request asks for thinking; refuses a budget Anthropic would refuse. */
export function thinkingEnabled(body: Readonly<Record<string, unknown>>, maxTokens: number): boolean {
  const thinking = body.thinking;
  if (!isRecord(thinking) || (thinking.type !== 'enabled' && thinking.type !== 'adaptive')) return false;
  if (thinking.type === 'adaptive') return true;
  const budget = thinking.budget_tokens;
  if (typeof budget !== 'number' || !Number.isInteger(budget)) {
    throw anthropicInvalidRequest('thinking.enabled.budget_tokens: Input should be a valid integer');
  }
  if (budget < MIN_BUDGET) {
    throw anthropicInvalidRequest(
      `thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_BUDGET}`,
    );
  }
  if (maxTokens <= budget) throw anthropicInvalidRequest('`max_tokens` must be greater than `thinking.budget_tokens`');
  return true;
}

export const thinkingBlock = (): Record<string, unknown> => ({
  type: 'thinking',
  thinking: FAKE_THINKING,
  signature: FAKE_THINKING_SIGNATURE,
});

/** The thinking block's events at `index`, framed by `event`: start, a delta per word, the signature, stop. */
export function thinkingEvents(
  index: number,
  event: (payload: { readonly type: string; readonly [field: string]: unknown }) => string,
): string {
  let out = event({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '' } });
  for (const piece of thinkingPieces()) {
    out += event({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } });
  }
  out += event({
    type: 'content_block_delta',
    index,
    delta: { type: 'signature_delta', signature: FAKE_THINKING_SIGNATURE },
  });
  return out + event({ type: 'content_block_stop', index });
}
