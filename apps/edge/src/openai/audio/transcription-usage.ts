import { usageOf, type Usage } from '@tollgate/contracts';
import { isJsonObject } from '@tollgate/providers';
import type { JsonObject } from '../body-fields.js';
import { numberField } from '../endpoint.js';

/** Whole seconds, rounded up: a started second is charged, as the edge never charges below the audio's length. */
export const wholeSeconds = (seconds: number): number => Math.ceil(seconds - 1e-9);

/**
 * The usage an answer reports, in the two shapes OpenAI's transcription
 * answers have: `{type: 'tokens', input_tokens, output_tokens}` (gpt-4o-*,
 * whose input tokens include `input_token_details.audio_tokens`) and
 * `{type: 'duration', seconds}` (whisper-1). Null: it reports none.
 */
export function reportedTranscriptionUsage(json: JsonObject | null): Usage | null {
  const usage = json?.usage;
  if (!isJsonObject(usage)) return null;
  if (usage.type === 'duration') {
    const seconds = typeof usage.seconds === 'number' && usage.seconds >= 0 ? usage.seconds : null;
    return seconds === null ? null : usageOf({ audioSeconds: wholeSeconds(seconds) });
  }
  const inputTokens = numberField(json, ['usage', 'input_tokens']);
  const outputTokens = numberField(json, ['usage', 'output_tokens']);
  if (inputTokens === null && outputTokens === null) return null;
  return usageOf({ inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0 });
}
