import { isJsonObject, type JsonObject } from '../../json.js';
import { anthropicId } from './messages-ids.js';
import { thinkingRequested } from './messages-reasoning.js';
import { anthropicStop, firstChoice } from './messages-stop-reason.js';
import { anthropicUsage } from './messages-usage.js';

/**
 * A tool call's arguments as the tool_use block's `input` object. Arguments
 * that are no JSON object (a model that broke off mid-call) become `{}`:
 * the client's tool then refuses the missing input and the model sees why,
 * rather than the whole answer failing.
 */
export function toolInput(raw: unknown): JsonObject {
  if (typeof raw !== 'string' || raw.trim() === '') return {};
  try {
    const input: unknown = JSON.parse(raw);
    return isJsonObject(input) ? input : {};
  } catch {
    return {};
  }
}

/**
 * The answer's content blocks: the reasoning first (as a thinking block,
 * only when the client asked for thinking; chat upstreams sign nothing, so
 * its signature is empty), then the text (or OpenAI's refusal text), then
 * one tool_use block per call.
 */
function contentBlocks(message: JsonObject, request: JsonObject): JsonObject[] {
  const blocks: JsonObject[] = [];
  const reasoning = message.reasoning_content;
  if (thinkingRequested(request) && typeof reasoning === 'string' && reasoning !== '') {
    blocks.push({ type: 'thinking', thinking: reasoning, signature: '' });
  }
  if (typeof message.content === 'string' && message.content !== '') {
    blocks.push({ type: 'text', text: message.content });
  } else if (typeof message.refusal === 'string' && message.refusal !== '') {
    blocks.push({ type: 'text', text: message.refusal });
  }
  const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as unknown[]) : [];
  for (const call of calls) {
    if (!isJsonObject(call) || !isJsonObject(call.function)) continue;
    blocks.push({
      type: 'tool_use',
      id: anthropicId('toolu_', call.id),
      name: call.function.name,
      input: toolInput(call.function.arguments),
    });
  }
  return blocks;
}

/** A chat completion as the Message object Anthropic's API answers with. */
export function messageOf(chat: JsonObject, request: JsonObject): JsonObject {
  const choice = firstChoice(chat);
  const message = choice && isJsonObject(choice.message) ? choice.message : {};
  const stop = anthropicStop(choice, request);
  // OpenAI answers a refusal with a `refusal` text and finish `stop`; it is Anthropic's refusal.
  const refused = typeof message.refusal === 'string' && message.refusal !== '' && !message.content;
  return {
    id: anthropicId('msg_', chat.id),
    type: 'message',
    role: 'assistant',
    model: typeof request.model === 'string' ? request.model : chat.model,
    content: contentBlocks(message, request),
    stop_reason: refused ? 'refusal' : stop.stop_reason,
    stop_sequence: stop.stop_sequence,
    usage: anthropicUsage(chat.usage),
  };
}
