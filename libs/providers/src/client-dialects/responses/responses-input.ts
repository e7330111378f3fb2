import { isJsonObject, type JsonObject } from '../../json.js';
import { inputItems, isSet, itemType } from './responses-fields.js';
import { invalidField } from './responses-invalid.js';

const ROLES: ReadonlySet<string> = new Set(['user', 'assistant', 'system', 'developer']);

function requiredString(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalidField(param, `${param} must be a string`);
  return value;
}

/** One content part of a user, system or developer message as chat's. */
function inputPart(part: unknown, param: string): JsonObject {
  if (!isJsonObject(part)) throw invalidField(param, `${param} must be an object`);
  switch (part.type) {
    case 'input_text':
      return { type: 'text', text: requiredString(part.text, `${param}.text`) };
    case 'input_image': {
      const url = requiredString(part.image_url, `${param}.image_url`);
      return { type: 'image_url', image_url: isSet(part.detail) ? { url, detail: part.detail } : { url } };
    }
    case 'input_file': {
      // Inline data only: a file_id or file_url is native-only (responses-native-only.ts).
      const file: JsonObject = { file_data: requiredString(part.file_data, `${param}.file_data`) };
      if (typeof part.filename === 'string') file.filename = part.filename;
      return { type: 'file', file };
    }
    default:
      throw invalidField(`${param}.type`, `${param}.type ${JSON.stringify(part.type)} is not a content part type`);
  }
}

/**
 * An assistant message as chat's: the text parts joined into `content`,
 * a refusal into chat's `refusal`, which is where chat keeps it.
 */
function assistantMessage(content: unknown, param: string): JsonObject {
  if (typeof content === 'string') return { role: 'assistant', content };
  const texts: string[] = [];
  const refusals: string[] = [];
  for (const [j, part] of (content as unknown[]).entries()) {
    const partParam = `${param}[${j}]`;
    if (!isJsonObject(part)) throw invalidField(partParam, `${partParam} must be an object`);
    if (part.type === 'output_text' || part.type === 'input_text') {
      texts.push(requiredString(part.text, `${partParam}.text`));
    } else if (part.type === 'refusal') {
      refusals.push(requiredString(part.refusal, `${partParam}.refusal`));
    } else {
      throw invalidField(
        `${partParam}.type`,
        `${partParam}.type ${JSON.stringify(part.type)} is not an assistant part`,
      );
    }
  }
  const message: JsonObject = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (refusals.length > 0) message.refusal = refusals.join('');
  return message;
}

function message(item: JsonObject, param: string): JsonObject {
  const role = item.role;
  if (typeof role !== 'string' || !ROLES.has(role)) {
    throw invalidField(`${param}.role`, `${param}.role must be one of user, assistant, system, developer`);
  }
  const content = item.content;
  if (typeof content !== 'string' && !Array.isArray(content)) {
    throw invalidField(`${param}.content`, `${param}.content must be a string or an array of content parts`);
  }
  if (role === 'assistant') return assistantMessage(content, `${param}.content`);
  if (typeof content === 'string') return { role, content };
  return { role, content: (content as unknown[]).map((part, j) => inputPart(part, `${param}.content[${j}]`)) };
}

function toolCall(item: JsonObject, param: string): JsonObject {
  return {
    id: requiredString(item.call_id, `${param}.call_id`),
    type: 'function',
    function: {
      name: requiredString(item.name, `${param}.name`),
      arguments: requiredString(item.arguments, `${param}.arguments`),
    },
  };
}

/** A function's result as chat's tool message; a list of text parts stays a list of chat text parts. */
function toolMessage(item: JsonObject, param: string): JsonObject {
  const callId = requiredString(item.call_id, `${param}.call_id`);
  const output = item.output;
  if (typeof output === 'string') return { role: 'tool', tool_call_id: callId, content: output };
  if (!Array.isArray(output)) throw invalidField(`${param}.output`, `${param}.output must be a string or an array`);
  const content = (output as unknown[]).map((part, j) => inputPart(part, `${param}.output[${j}]`));
  return { role: 'tool', tool_call_id: callId, content };
}

/**
 * The conversation as chat messages: `instructions` first as a system
 * message, then each input item. A function call joins the assistant
 * message just before it (its text, or the calls before it): chat keeps one
 * turn's calls in one assistant message, which the tool messages answer.
 */
export function chatMessages(body: JsonObject): JsonObject[] {
  const messages: JsonObject[] = [];
  if (isSet(body.instructions)) {
    messages.push({ role: 'system', content: requiredString(body.instructions, 'instructions') });
  }
  if (isSet(body.input) && typeof body.input !== 'string' && !Array.isArray(body.input)) {
    throw invalidField('input', 'input must be a string or an array of input items');
  }
  for (const [i, item] of inputItems(body).entries()) {
    const param = typeof body.input === 'string' ? 'input' : `input[${i}]`;
    if (!isJsonObject(item)) throw invalidField(param, `${param} must be an object`);
    switch (itemType(item)) {
      case 'message':
        messages.push(message(item, param));
        break;
      case 'function_call': {
        const last = messages.at(-1);
        const call = toolCall(item, param);
        if (last?.role === 'assistant') {
          last.tool_calls = [...((last.tool_calls as unknown[] | undefined) ?? []), call];
        } else {
          messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        }
        break;
      }
      case 'function_call_output':
        messages.push(toolMessage(item, param));
        break;
      case 'reasoning':
        // Dropped: a reasoning item carries the model's earlier thinking (a
        // summary, or content encrypted for OpenAI's models only), and chat
        // messages have no place to send it back. The answer does not need
        // it: the model reasons afresh on the conversation.
        break;
      default:
        throw invalidField(`${param}.type`, `${param}.type ${JSON.stringify(item.type)} is not an input item type`);
    }
  }
  if (messages.length === 0) throw invalidField('input', 'input is required');
  return messages;
}
