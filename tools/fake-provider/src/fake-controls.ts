/**
 * Controls: the knobs a test turns to make the fake provider misbehave (slow, failing, hanging, dropping a
 * stream) or to shape its answer. The same set of knobs is accepted from four places — instance defaults,
 * per-model defaults, a one-shot queue and per-request headers — so this file owns the one definition of
 * what a valid control is, and every entry point validates through it.
 */
import { isRecord } from './json-guards.js';

export interface FakeControls {
  /** Milliseconds to wait before answering (before the status line, so it is also the time to first byte). */
  latencyMs?: number;
  /** Answer with this HTTP status and the dialect's error body instead of a result (2xx = answer normally). */
  status?: number;
  /** Seconds to put in the `Retry-After` header of an error answer (typically with status 429 or 503). */
  retryAfter?: number;
  /**
   * The error's identifier — OpenAI/Azure `error.code`, Anthropic `error.type`, Gemini `error.status` — of a
   * forced error or an in-band stream error; without it a realistic default per status is used.
   */
  errorCode?: string;
  /** Number of words in the answer; when streaming, one content chunk per word. */
  chunks?: number;
  /** Milliseconds between two streamed content chunks. */
  chunkIntervalMs?: number;
  /** Destroy the connection after this many content chunks were sent (a stream cut mid-way). */
  dropAfterChunks?: number;
  /** Accept the request and never answer, until the client gives up or the server closes. */
  hang?: boolean;
  /**
   * Report this many output tokens (OpenAI `completion_tokens`, Anthropic `output_tokens`, Gemini candidates +
   * thoughts) instead of the answer's length plus `reasoningTokens`.
   */
  completionTokens?: number;
  /** Never report usage: no `usage` field in JSON answers, no usage chunk even if the stream asked for one. */
  omitUsage?: boolean;
  /** Prompt tokens read from the provider's cache (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`, Gemini `cachedContentTokenCount`). */
  cachedTokens?: number;
  /** Prompt tokens written to the provider's cache (Anthropic `cache_creation_input_tokens`; billed as plain input elsewhere). */
  cacheWriteTokens?: number;
  /** Output tokens spent on reasoning (OpenAI `reasoning_tokens`, Gemini `thoughtsTokenCount`; inside Anthropic's `output_tokens`). */
  reasoningTokens?: number;
  /** Multiplies the prompt token count, like a tokenizer that counts more (or fewer) tokens than the 4-characters rule. */
  inputTokenFactor?: number;
  /** Answer with text even when the request offers tools (by default the fake calls the first tool). */
  ignoreTools?: boolean;
  /** End a stream after this many content chunks with the dialect's in-band error event instead of the finish. */
  streamErrorAfterChunks?: number;
}

/** A partial update of controls; `null` removes a previously set value (JSON has no `undefined`). */
export type FakeControlsPatch = { [K in keyof FakeControls]?: FakeControls[K] | null };

/** Controls after resolution: the knobs every answer needs always have a value. */
export type ResolvedControls = FakeControls & Required<Pick<FakeControls, 'latencyMs' | 'chunks' | 'chunkIntervalMs'>>;

/** What a provider does when nobody asked for anything: answer at once with "This is a fake answer." (5 words). */
export const BUILTIN_CONTROLS: Readonly<ResolvedControls> = Object.freeze({
  latencyMs: 0,
  chunks: 5,
  chunkIntervalMs: 0,
});

type KeysWithValue<T, V> = { [K in keyof T]-?: NonNullable<T[K]> extends V ? K : never }[keyof T];
export type NumericControl = KeysWithValue<FakeControls, number>;
export type BooleanControl = KeysWithValue<FakeControls, boolean>;
export type StringControl = KeysWithValue<FakeControls, string>;

interface NumericRule {
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
}

/** Bounds keep a typo (e.g. a latency in microseconds) from turning into a test that silently waits for hours. */
const NUMERIC_RULES: Readonly<Record<NumericControl, NumericRule>> = {
  latencyMs: { integer: false, min: 0, max: 600_000 },
  status: { integer: true, min: 200, max: 599 },
  retryAfter: { integer: false, min: 0, max: 86_400 },
  chunks: { integer: true, min: 0, max: 100_000 },
  chunkIntervalMs: { integer: false, min: 0, max: 600_000 },
  dropAfterChunks: { integer: true, min: 0, max: 100_000 },
  completionTokens: { integer: true, min: 0, max: 100_000_000 },
  cachedTokens: { integer: true, min: 0, max: 100_000_000 },
  cacheWriteTokens: { integer: true, min: 0, max: 100_000_000 },
  reasoningTokens: { integer: true, min: 0, max: 100_000_000 },
  inputTokenFactor: { integer: false, min: 0.01, max: 100 },
  streamErrorAfterChunks: { integer: true, min: 0, max: 100_000 },
};

export const NUMERIC_CONTROLS = Object.keys(NUMERIC_RULES) as readonly NumericControl[];
export const BOOLEAN_CONTROLS: readonly BooleanControl[] = ['hang', 'omitUsage', 'ignoreTools'];
export const STRING_CONTROLS: readonly StringControl[] = ['errorCode'];
export const CONTROL_NAMES: readonly (keyof FakeControls)[] = [
  ...NUMERIC_CONTROLS,
  ...BOOLEAN_CONTROLS,
  ...STRING_CONTROLS,
];

/** Raised for a control that is not understood; callers turn it into a 400 so a typo fails loudly. */
export class InvalidControlError extends Error {}

export function checkNumericControl(name: NumericControl, value: unknown, source: string): number {
  const rule = NUMERIC_RULES[name];
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (rule.integer && !Number.isInteger(value)) ||
    value < rule.min ||
    value > rule.max
  ) {
    const kind = rule.integer ? 'an integer' : 'a number';
    throw new InvalidControlError(
      `${source} must be ${kind} between ${rule.min} and ${rule.max}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Validates controls received as JSON (control-plane endpoints). Unknown keys are rejected rather than ignored:
 * `{"latency": 100}` silently doing nothing would be a miserable thing to debug.
 */
export function parseControlsPatch(
  value: unknown,
  where: string,
  allowedExtraKeys: readonly string[] = [],
): FakeControlsPatch {
  if (!isRecord(value)) {
    throw new InvalidControlError(`${where} must be a JSON object of controls`);
  }
  for (const key of Object.keys(value)) {
    if (!(CONTROL_NAMES as readonly string[]).includes(key) && !allowedExtraKeys.includes(key)) {
      throw new InvalidControlError(`${where}: unknown control "${key}" (known: ${CONTROL_NAMES.join(', ')})`);
    }
  }
  const patch: FakeControlsPatch = {};
  for (const name of NUMERIC_CONTROLS) {
    const raw = value[name];
    if (raw !== undefined) patch[name] = raw === null ? null : checkNumericControl(name, raw, `${where}.${name}`);
  }
  for (const name of BOOLEAN_CONTROLS) {
    const raw = value[name];
    if (raw === undefined) continue;
    if (raw !== null && typeof raw !== 'boolean') throw new InvalidControlError(`${where}.${name} must be a boolean`);
    patch[name] = raw;
  }
  for (const name of STRING_CONTROLS) {
    const raw = value[name];
    if (raw === undefined) continue;
    if (raw !== null && (typeof raw !== 'string' || raw === '')) {
      throw new InvalidControlError(`${where}.${name} must be a non-empty string`);
    }
    patch[name] = raw;
  }
  return patch;
}

/** Like parseControlsPatch, for places where clearing makes no sense (queue items): `null` is refused. */
export function parseControls(value: unknown, where: string): FakeControls {
  const patch = parseControlsPatch(value, where);
  for (const name of CONTROL_NAMES) {
    if (patch[name] === null) throw new InvalidControlError(`${where}.${name} cannot be null here`);
  }
  return applyControlsPatch({}, patch);
}

function applyField<K extends keyof FakeControls>(target: FakeControls, patch: FakeControlsPatch, name: K): void {
  const value = patch[name];
  if (value === null) {
    delete target[name];
  } else if (value !== undefined) {
    target[name] = value;
  }
}

/**
 * Returns a new controls object: `base` updated with `patch`. Keys are deleted rather than set to `undefined`
 * so that resolving controls with object spread never lets an unset value hide a lower-priority one.
 */
export function applyControlsPatch(base: FakeControls, patch: FakeControlsPatch): FakeControls {
  const result: FakeControls = { ...base };
  for (const name of CONTROL_NAMES) applyField(result, patch, name);
  return result;
}
