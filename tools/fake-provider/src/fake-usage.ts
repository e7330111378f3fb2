/**
 * Deterministic token accounting, exported so tests elsewhere (billing, cost limits) can compute the usage the
 * fake will report for a request without hard-coding numbers.
 *
 *   prompt_tokens     = max(1, ceil(C / 4)) where C is the character count (JS string length, i.e. UTF-16 code
 *                       units) of the prompt text:
 *                         - chat completions: every `messages[i].content` — a string, or the `text` of each
 *                           content part (image/audio parts count 0);
 *                         - completions: `prompt`; embeddings and moderations: `input`
 *                           (a string, or an array of strings / content parts);
 *                         - a token id (a number in a token-array prompt/input) counts 4 characters, so a pure
 *                           token-array prompt of n ids is exactly n prompt tokens.
 *                       Anything else in the body (tools, system fingerprints, names…) counts nothing.
 *                       With the `inputTokenFactor` control F: max(1, round(F × that count)), an upstream
 *                       whose tokenizer counts F times as many tokens.
 *   completion_tokens = the `completionTokens` control when set; otherwise the number of answer words:
 *                       min(`chunks` control (default 5), `max_completion_tokens` ?? `max_tokens` when given).
 *   total_tokens      = prompt_tokens + completion_tokens
 *
 * Embeddings report `{ prompt_tokens, total_tokens }` with total = prompt.
 */
import { BUILTIN_CONTROLS, type FakeControls } from './fake-controls.js';
import { isRecord } from './json-guards.js';

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export const CHARS_PER_TOKEN = 4;

function countChars(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return CHARS_PER_TOKEN;
  if (Array.isArray(value)) {
    let total = 0;
    for (const item of value) total += countChars(item);
    return total;
  }
  if (isRecord(value) && typeof value.text === 'string') return value.text.length;
  return 0;
}

/** Character count C of the formula above. */
export function promptCharacters(body: unknown): number {
  if (!isRecord(body)) return 0;
  if (Array.isArray(body.messages)) {
    let total = 0;
    for (const message of body.messages) if (isRecord(message)) total += countChars(message.content);
    return total;
  }
  if (body.prompt !== undefined) return countChars(body.prompt);
  return countChars(body.input);
}

export function fakePromptTokens(body: unknown, inputTokenFactor = 1): number {
  const tokens = Math.max(1, Math.ceil(promptCharacters(body) / CHARS_PER_TOKEN));
  return inputTokenFactor === 1 ? tokens : Math.max(1, Math.round(tokens * inputTokenFactor));
}

/** The output limit the request sets, if any (chat prefers the newer `max_completion_tokens`). */
function outputLimit(body: unknown): number | undefined {
  if (!isRecord(body)) return undefined;
  const limit = body.max_completion_tokens ?? body.max_tokens;
  return typeof limit === 'number' && Number.isFinite(limit) && limit >= 0 ? Math.floor(limit) : undefined;
}

/** How many words the answer has, and whether the output limit cut it (finish_reason "length"). */
export function fakeAnswerLength(
  body: unknown,
  chunks: number = BUILTIN_CONTROLS.chunks,
): { words: number; truncated: boolean } {
  const limit = outputLimit(body);
  return limit !== undefined && limit < chunks
    ? { words: limit, truncated: true }
    : { words: chunks, truncated: false };
}

/** The usage the fake reports for a chat completion or completion request under the given controls. */
export function fakeUsage(
  body: unknown,
  controls: Pick<FakeControls, 'chunks' | 'completionTokens' | 'inputTokenFactor'> = {},
): FakeUsage {
  const prompt = fakePromptTokens(body, controls.inputTokenFactor);
  const completion = controls.completionTokens ?? fakeAnswerLength(body, controls.chunks).words;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
