import { randomBytes } from 'node:crypto';
import { isJsonObject, type JsonObject } from '../../json.js';
import { responsesUsage } from './responses-usage.js';

/** An id with a Responses prefix (`resp_`, `msg_`, `fc_`, `rs_`) from the upstream's own, or a fresh one. */
export function responsesId(prefix: 'resp_' | 'msg_' | 'fc_' | 'rs_', upstreamId: unknown): string {
  if (typeof upstreamId !== 'string' || upstreamId === '') return prefix + randomBytes(12).toString('hex');
  return prefix + upstreamId.replace(/^(chatcmpl-|call_|resp_|msg_|fc_|rs_|toolu_)/, '').replace(/[^\w-]/g, '');
}

/** The status of a finished response, from chat's finish reason. */
export function responseStatus(finishReason: unknown): { status: string; incomplete_details: JsonObject | null } {
  if (finishReason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter')
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/** The request's settings a Response echoes, as OpenAI's does (defaults where the request set none). */
export function echoedSettings(request: JsonObject): JsonObject {
  return {
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    metadata: request.metadata ?? {},
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: isJsonObject(request.reasoning) ? (request.reasoning.effort ?? null) : null, summary: null },
    store: false,
    temperature: request.temperature ?? 1,
    text: isJsonObject(request.text) ? request.text : { format: { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: Array.isArray(request.tools) ? request.tools : [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    user: request.user ?? null,
  };
}

export const reasoningItem = (id: string, text: string): JsonObject => ({
  type: 'reasoning',
  id,
  summary: [{ type: 'summary_text', text }],
});

export const messageItem = (id: string, content: JsonObject[], status = 'completed'): JsonObject => ({
  type: 'message',
  id,
  status,
  role: 'assistant',
  content,
});

export const textPart = (text: string): JsonObject => ({ type: 'output_text', text, annotations: [] });

export const functionCallItem = (
  id: string,
  callId: string,
  name: string,
  args: string,
  status = 'completed',
): JsonObject => ({ type: 'function_call', id, call_id: callId, name, arguments: args, status });

/**
 * A chat completion as a Response object, as OpenAI documents it: the
 * reasoning (where a translating adapter gave some) as a reasoning item,
 * the text (or refusal) as one message item, each tool call as a
 * function_call item, the usage renamed, the request's settings echoed.
 */
export function responseOf(chat: JsonObject, request: JsonObject): JsonObject {
  const choice = Array.isArray(chat.choices) && isJsonObject(chat.choices[0]) ? chat.choices[0] : {};
  const message = isJsonObject(choice.message) ? choice.message : {};
  const output: JsonObject[] = [];
  if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') {
    output.push(reasoningItem(responsesId('rs_', chat.id), message.reasoning_content));
  }
  const content: JsonObject[] = [];
  if (typeof message.content === 'string' && message.content !== '') content.push(textPart(message.content));
  if (typeof message.refusal === 'string' && message.refusal !== '') {
    content.push({ type: 'refusal', refusal: message.refusal });
  }
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isJsonObject) : [];
  if (content.length > 0 || calls.length === 0) output.push(messageItem(responsesId('msg_', chat.id), content));
  for (const call of calls) {
    const fn = isJsonObject(call.function) ? call.function : {};
    const callId = typeof call.id === 'string' ? call.id : responsesId('fc_', null);
    output.push(
      functionCallItem(
        responsesId('fc_', callId),
        callId,
        typeof fn.name === 'string' ? fn.name : '',
        typeof fn.arguments === 'string' ? fn.arguments : '{}',
      ),
    );
  }
  return {
    id: responsesId('resp_', chat.id),
    object: 'response',
    created_at: typeof chat.created === 'number' ? chat.created : Math.floor(Date.now() / 1000),
    ...responseStatus(choice.finish_reason),
    error: null,
    model: chat.model,
    output,
    ...echoedSettings(request),
    usage: chat.usage === undefined || chat.usage === null ? null : responsesUsage(chat.usage),
  };
}
