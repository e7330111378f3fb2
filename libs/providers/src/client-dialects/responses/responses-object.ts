import { isJsonObject, type JsonObject } from '../../json.js';
import { isSet } from './responses-fields.js';

/** How a chat answer ended, as a Response's `status` and `incomplete_details`. */
export interface ResponseOutcome {
  status: 'completed' | 'incomplete';
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
}

/** Chat's finish reason as a Response's outcome: the output cap and the content filter leave it incomplete. */
export function outcomeOf(finishReason: unknown): ResponseOutcome {
  if (finishReason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter') {
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  }
  return { status: 'completed', incomplete_details: null };
}

const orDefault = (value: unknown, fallback: unknown): unknown => (isSet(value) ? value : fallback);

/**
 * A Response object with what it echoes of the request, as OpenAI fills
 * it: the settings (with OpenAI's defaults when the client set none), and
 * `store: false`, `previous_response_id: null` — a translated answer is
 * stored nowhere and continues nothing. `output` and `usage` are the
 * caller's to fill.
 */
export function responseObject(
  request: JsonObject,
  fields: { id: string; createdAt: number; model: unknown; status: string },
): JsonObject {
  const reasoning = isJsonObject(request.reasoning) ? request.reasoning : {};
  const text = isJsonObject(request.text) ? request.text : {};
  return {
    id: fields.id,
    object: 'response',
    created_at: fields.createdAt,
    status: fields.status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: orDefault(request.instructions, null),
    max_output_tokens: orDefault(request.max_output_tokens, null),
    model: fields.model,
    output: [],
    parallel_tool_calls: orDefault(request.parallel_tool_calls, true),
    previous_response_id: null,
    reasoning: { effort: orDefault(reasoning.effort, null), summary: orDefault(reasoning.summary, null) },
    store: false,
    temperature: orDefault(request.temperature, 1),
    text: { format: { type: 'text' }, ...text },
    tool_choice: orDefault(request.tool_choice, 'auto'),
    tools: orDefault(request.tools, []),
    top_p: orDefault(request.top_p, 1),
    truncation: 'disabled',
    usage: null,
    user: orDefault(request.user, null),
    metadata: orDefault(request.metadata, {}),
  };
}

/** Chat's `url_citation` annotation (nested) as a Response's (flat); others have no Responses form. */
export function responseAnnotations(annotations: unknown): JsonObject[] {
  if (!Array.isArray(annotations)) return [];
  const out: JsonObject[] = [];
  for (const annotation of annotations as unknown[]) {
    if (!isJsonObject(annotation) || annotation.type !== 'url_citation' || !isJsonObject(annotation.url_citation)) {
      continue;
    }
    const { url, title, start_index, end_index } = annotation.url_citation;
    out.push({ type: 'url_citation', url, title, start_index, end_index });
  }
  return out;
}

export const outputText = (text: string, annotations: JsonObject[] = []): JsonObject => ({
  type: 'output_text',
  text,
  annotations,
  logprobs: [],
});

export const refusalPart = (refusal: string): JsonObject => ({ type: 'refusal', refusal });

export const messageItem = (id: string, status: string, content: JsonObject[]): JsonObject => ({
  id,
  type: 'message',
  status,
  role: 'assistant',
  content,
});

export const functionCallItem = (
  id: string,
  call: { callId: string; name: string; arguments: string },
  status: string,
): JsonObject => ({
  id,
  type: 'function_call',
  status,
  arguments: call.arguments,
  call_id: call.callId,
  name: call.name,
});
