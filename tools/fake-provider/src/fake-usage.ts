/**
 * Deterministic token accounting, exported so tests elsewhere (billing, cost limits) can compute the usage the
 * fake will report for a request without hard-coding numbers. One set of counts per request, the same in every
 * dialect; only the field names (and what each field includes) differ — see FakeTokenCounts.
 *
 *   prompt tokens     = max(1, ceil(C / 4)) where C is the character count (JS string length, i.e. UTF-16 code
 *                       units) of the prompt text:
 *                         - chat completions / Anthropic messages: every `messages[i].content` — a string, or
 *                           the `text` of each content part / block (image, audio, tool blocks count 0) — plus
 *                           Anthropic's top-level `system` (a string or text blocks);
 *                         - Gemini: the `text` of every `contents[i].parts[j]` plus `systemInstruction.parts`;
 *                         - completions: `prompt`; embeddings and moderations: `input`
 *                           (a string, or an array of strings / content parts);
 *                         - a token id (a number in a token-array prompt/input) counts 4 characters, so a pure
 *                           token-array prompt of n ids is exactly n prompt tokens.
 *                       Anything else in the body (tools, system fingerprints, names…) counts nothing.
 *                       The `inputTokenFactor` control multiplies the result (rounded up), and the total never
 *                       falls below `cachedTokens + cacheWriteTokens`.
 *   output tokens     = the `completionTokens` control when set; otherwise the answer's length plus
 *                       `reasoningTokens`. A text answer's length is its number of words:
 *                       min(`chunks` control (default 5), the request's output limit when given); a tool call's
 *                       is the number of pieces its arguments stream in.
 *   total             = prompt + output
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

/** Gemini's `Content` objects: only the text of their parts counts. */
function countContentChars(contents: unknown): number {
  if (isRecord(contents)) return countChars(contents.parts);
  if (!Array.isArray(contents)) return 0;
  let total = 0;
  for (const content of contents) if (isRecord(content)) total += countChars(content.parts);
  return total;
}

/** Character count C of the formula above. */
export function promptCharacters(body: unknown): number {
  if (!isRecord(body)) return 0;
  if (Array.isArray(body.messages)) {
    // `system` only exists in Anthropic's dialect; OpenAI's system prompt is one of the messages.
    let total = body.system === undefined ? 0 : countChars(body.system);
    for (const message of body.messages) if (isRecord(message)) total += countChars(message.content);
    return total;
  }
  if (Array.isArray(body.contents)) return countContentChars(body.contents) + countContentChars(body.systemInstruction);
  if (body.prompt !== undefined) return countChars(body.prompt);
  return countChars(body.input);
}

/** Rounds away float noise first, so that e.g. 5 × 1.4 (7.000000000000001) is 7 tokens, not 8. */
function scaled(tokens: number, factor: number | undefined): number {
  if (factor === undefined || factor === 1) return tokens;
  return Math.max(1, Math.ceil(Math.round(tokens * factor * 1e6) / 1e6));
}

/** Prompt tokens of the formula above, scaled by `inputTokenFactor` (cache controls not applied). */
export function fakePromptTokens(body: unknown, controls: Pick<FakeControls, 'inputTokenFactor'> = {}): number {
  return scaled(Math.max(1, Math.ceil(promptCharacters(body) / CHARS_PER_TOKEN)), controls.inputTokenFactor);
}

export type UsageControls = Pick<
  FakeControls,
  'completionTokens' | 'cachedTokens' | 'cacheWriteTokens' | 'reasoningTokens' | 'inputTokenFactor'
>;

/**
 * The counts behind every dialect's usage fields. What each dialect reports:
 *   OpenAI/Azure  prompt_tokens = input (cached_tokens = cacheRead inside it), completion_tokens = output
 *                 (reasoning_tokens = reasoning inside it);
 *   Anthropic     input_tokens = input − cacheRead − cacheWrite (Anthropic's input EXCLUDES cache traffic),
 *                 cache_read_input_tokens = cacheRead, cache_creation_input_tokens = cacheWrite,
 *                 output_tokens = output;
 *   Gemini        promptTokenCount = input (cachedContentTokenCount = cacheRead inside it),
 *                 candidatesTokenCount = output − reasoning, thoughtsTokenCount = reasoning (NOT inside
 *                 candidatesTokenCount), totalTokenCount = input + output.
 */
export interface FakeTokenCounts {
  /** Every prompt token, cache reads and cache writes included. */
  readonly input: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  /** Every output token, reasoning included. */
  readonly output: number;
  readonly reasoning: number;
}

/** @param answerLength words of a text answer, or argument pieces of a tool call. */
export function fakeTokenCounts(body: unknown, answerLength: number, controls: UsageControls = {}): FakeTokenCounts {
  const cacheRead = controls.cachedTokens ?? 0;
  const cacheWrite = controls.cacheWriteTokens ?? 0;
  const reasoning = controls.reasoningTokens ?? 0;
  return {
    input: Math.max(fakePromptTokens(body, controls), cacheRead + cacheWrite),
    cacheRead,
    cacheWrite,
    output: controls.completionTokens ?? answerLength + reasoning,
    reasoning,
  };
}

/** The output limit the request sets, if any (chat prefers the newer `max_completion_tokens`). */
export function outputLimit(body: unknown): number | undefined {
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

/** OpenAI's three totals for a set of counts. */
export function openAIUsage(counts: FakeTokenCounts): FakeUsage {
  return { prompt_tokens: counts.input, completion_tokens: counts.output, total_tokens: counts.input + counts.output };
}

/** The usage the fake reports for a text answer (chat completion or completion) under the given controls. */
export function fakeUsage(body: unknown, controls: UsageControls & Pick<FakeControls, 'chunks'> = {}): FakeUsage {
  return openAIUsage(fakeTokenCounts(body, fakeAnswerLength(body, controls.chunks).words, controls));
}
