import { isJsonObject, type JsonObject } from '../../json.js';
import { openAiId } from './responses-ids.js';
import {
  functionCallItem,
  messageItem,
  outcomeOf,
  outputText,
  refusalPart,
  responseAnnotations,
  responseObject,
} from './responses-object.js';
import { responsesUsage } from './responses-usage.js';

/** The output items of chat's message: its text and refusal as one message item, then each tool call. */
function outputItems(message: JsonObject, chatId: unknown, itemStatus: string): JsonObject[] {
  const content: JsonObject[] = [];
  if (typeof message.content === 'string' && message.content !== '') {
    content.push(outputText(message.content, responseAnnotations(message.annotations)));
  }
  if (typeof message.refusal === 'string' && message.refusal !== '') content.push(refusalPart(message.refusal));
  const items: JsonObject[] = [];
  if (content.length > 0) items.push(messageItem(openAiId('msg_', chatId), itemStatus, content));
  const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as unknown[]) : [];
  for (const call of calls) {
    if (!isJsonObject(call) || !isJsonObject(call.function)) continue;
    const callId = typeof call.id === 'string' ? call.id : openAiId('call_', undefined);
    const fn = call.function;
    items.push(
      functionCallItem(
        openAiId('fc_', callId),
        {
          callId,
          name: typeof fn.name === 'string' ? fn.name : '',
          arguments: typeof fn.arguments === 'string' ? fn.arguments : '',
        },
        'completed',
      ),
    );
  }
  return items;
}

/** A chat completion (OpenAI form) as the Response object OpenAI's Responses API answers `request` with. */
export function responseOf(chat: JsonObject, request: JsonObject): JsonObject {
  const choice = Array.isArray(chat.choices) && isJsonObject(chat.choices[0]) ? chat.choices[0] : {};
  const message = isJsonObject(choice.message) ? choice.message : {};
  const outcome = outcomeOf(choice.finish_reason);
  const response = responseObject(request, {
    id: openAiId('resp_', chat.id),
    createdAt: typeof chat.created === 'number' ? chat.created : Math.floor(Date.now() / 1000),
    model: chat.model ?? request.model,
    status: outcome.status,
  });
  response.incomplete_details = outcome.incomplete_details;
  response.output = outputItems(message, chat.id, outcome.status);
  response.usage = responsesUsage(chat.usage);
  return response;
}
