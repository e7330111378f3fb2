import { isJsonObject, type JsonObject } from '../../json.js';

/**
 * The Responses request fields the chat translation reads. Any other
 * top-level field is native-only: OpenAI adds Responses parameters every
 * few weeks (Codex sends them early), and a channel that speaks the API
 * natively can serve them, where a translation would drop them unseen.
 */
export const TRANSLATED_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_output_tokens',
  'text',
  'reasoning',
  'temperature',
  'top_p',
  'metadata',
  'user',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'service_tier',
  'stream',
  'stream_options',
  // Stateful switches: fine when off (checked by value in responses-native-only.ts).
  'store',
  'background',
  'truncation',
  'include',
  'previous_response_id',
  'conversation',
  'prompt',
]);

/** The fields of a function tool toChat reads. */
export const FUNCTION_TOOL_FIELDS: ReadonlySet<string> = new Set([
  'type',
  'name',
  'description',
  'parameters',
  'strict',
]);

/** OpenAI treats an explicit `null` like an absent field (its SDKs send null for "not set"). */
export const isSet = (value: unknown): boolean => value !== undefined && value !== null;

/** The items of `input` as a list: a string input is one user message. */
export function inputItems(body: JsonObject): unknown[] {
  if (typeof body.input === 'string') return [{ role: 'user', content: body.input }];
  return Array.isArray(body.input) ? (body.input as unknown[]) : [];
}

/**
 * An input item's kind: a message (OpenAI's "easy" form has no `type`,
 * only a `role`) or its `type`.
 */
export function itemType(item: JsonObject): string | null {
  if (item.type === undefined && typeof item.role === 'string') return 'message';
  return typeof item.type === 'string' ? item.type : null;
}

export { isJsonObject };
