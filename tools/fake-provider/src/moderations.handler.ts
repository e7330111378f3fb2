/**
 * `POST /v1/moderations`: one result per input string, never flagged — unless the text contains
 * FAKE_FLAG_MARKER, which lets a test exercise the gateway's "flagged" path deterministically.
 */
import { optionalString, requiredPresent } from './body-params.js';
import { sendJson } from './http-io.js';
import { isRecord } from './json-guards.js';
import type { FakeRequestContext } from './request-context.js';

export const FAKE_FLAG_MARKER = 'fake-flag';

const CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

/** The category a flagged input is flagged for. */
const FLAG_CATEGORY = 'harassment';

/** A string array is one result per string; anything else (one string, multimodal parts) is a single input. */
function splitInputs(input: unknown): unknown[] {
  return Array.isArray(input) && input.every((item) => typeof item === 'string') ? input : [input];
}

function textOf(input: unknown): string {
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) return input.map(textOf).join(' ');
  return isRecord(input) && typeof input.text === 'string' ? input.text : '';
}

function result(input: unknown): unknown {
  const flagged = textOf(input).includes(FAKE_FLAG_MARKER);
  const categories: Record<string, boolean> = {};
  const scores: Record<string, number> = {};
  const appliedInputTypes: Record<string, string[]> = {};
  for (const category of CATEGORIES) {
    const hit = flagged && category === FLAG_CATEGORY;
    categories[category] = hit;
    scores[category] = hit ? 0.99 : 0.0001;
    appliedInputTypes[category] = ['text'];
  }
  return { flagged, categories, category_scores: scores, category_applied_input_types: appliedInputTypes };
}

export function handleModerations(ctx: FakeRequestContext): void {
  const { body } = ctx;
  const input = requiredPresent(body, 'input');
  const model = optionalString(body, 'model') ?? 'omni-moderation-latest';
  sendJson(
    ctx.res,
    200,
    JSON.stringify({ id: `modr-fake-${ctx.seq}`, model, results: splitInputs(input).map(result) }),
  );
}
