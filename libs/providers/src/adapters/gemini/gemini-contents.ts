import { isJsonObject, type JsonObject } from '../../json.js';
import { audioPart, filePart, imagePart } from './gemini-media-part.js';
import { noCounterpart, refuse } from './gemini-refusal.js';

/** The conversation as Gemini takes it: the turns, and the system messages apart. */
export interface GeminiConversation {
  contents: JsonObject[];
  systemInstruction: JsonObject | null;
}

export interface ConversationOptions {
  /**
   * The thought signature a replayed function call gets when the client did
   * not send Gemini's back (null: none). Gemini 3 refuses a function call in
   * the history without one; Google documents this value for histories it
   * did not produce.
   */
  signatureFallback: string | null;
}

/** Where Google's OpenAI-compatible API puts a tool call's thought signature, and where we do too. */
export function thoughtSignatureOf(toolCall: JsonObject): string | undefined {
  const extra = toolCall.extra_content;
  const google = isJsonObject(extra) ? extra.google : undefined;
  const signature = isJsonObject(google) ? google.thought_signature : undefined;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}

/** A message's content as text pieces: a string, or a list of `text` parts (and `refusal` parts, for assistants). */
function textPieces(content: unknown, param: string, allowRefusal = false): string[] {
  if (typeof content === 'string') return [content];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw refuse(param, `${param} must be a string or an array of content parts`);
  return content.map((part: unknown, j) => {
    const at = `${param}[${j}]`;
    if (isJsonObject(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
    if (allowRefusal && isJsonObject(part) && part.type === 'refusal' && typeof part.refusal === 'string') {
      return part.refusal;
    }
    throw refuse(`${at}.type`, `${at} must be a text part in this message`);
  });
}

function userParts(content: unknown, param: string): JsonObject[] {
  if (typeof content === 'string') return [{ text: content }];
  if (!Array.isArray(content)) throw refuse(param, `${param} must be a string or an array of content parts`);
  return content.map((part: unknown, j) => {
    const at = `${param}[${j}]`;
    if (!isJsonObject(part)) throw refuse(at, `${at} must be a content part object`);
    switch (part.type) {
      case 'text':
        if (typeof part.text !== 'string') throw refuse(`${at}.text`, `${at}.text must be a string`);
        return { text: part.text };
      case 'image_url':
        return imagePart(part, at);
      case 'input_audio':
        return audioPart(part, at);
      case 'file':
        return filePart(part, at);
      default:
        throw refuse(`${at}.type`, `${at}.type must be text, image_url, input_audio or file on gemini channels`);
    }
  });
}

/** A tool call's `arguments` (a JSON object in a string) as Gemini's `args` object. */
function callArguments(text: unknown, param: string): JsonObject {
  if (text === '' || text === undefined) return {};
  if (typeof text === 'string') {
    try {
      const args: unknown = JSON.parse(text);
      if (isJsonObject(args)) return args;
    } catch {
      // refused below
    }
  }
  throw refuse(param, `${param} must be a JSON object in a string`);
}

/** A tool's answer as Gemini's `response` object: a JSON object as it is, any other text as `{ output }`. */
function toolResponse(text: string): JsonObject {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // plain text
  }
  return { output: text };
}

/**
 * OpenAI messages as Gemini contents. System and developer messages, wherever
 * they stand, become `systemInstruction` (Gemini has one); assistants speak
 * as `model`; a tool result is a `functionResponse` in a user turn, named
 * after the assistant's tool call it answers (Gemini matches results by
 * name). Consecutive turns of one role are merged, as Gemini expects turns
 * to alternate — parallel tool results become one turn, as Gemini sends them.
 */
export function geminiConversation(messages: readonly unknown[], options: ConversationOptions): GeminiConversation {
  const system: JsonObject[] = [];
  const contents: JsonObject[] = [];
  const toolNames = new Map<string, string>();

  const append = (role: 'user' | 'model', parts: JsonObject[]) => {
    const last = contents.at(-1);
    if (last?.role === role) (last.parts as JsonObject[]).push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    if (!isJsonObject(message)) throw refuse(at, `${at} must be an object`);
    switch (message.role) {
      case 'system':
      case 'developer':
        for (const text of textPieces(message.content, `${at}.content`)) system.push({ text });
        return;
      case 'user':
        append('user', userParts(message.content, `${at}.content`));
        return;
      case 'assistant':
        append('model', modelParts(message, at, toolNames, options));
        return;
      case 'tool':
        append('user', [functionResponse(message, at, toolNames)]);
        return;
      case 'function':
        throw refuse(`${at}.role`, `${at}: the function role is OpenAI's legacy form; send tool messages`);
      default:
        throw refuse(`${at}.role`, `${at}.role must be system, developer, user, assistant or tool`);
    }
  });

  if (contents.length === 0) {
    throw refuse('messages', 'messages must hold at least one user, assistant or tool message on gemini channels');
  }
  return { contents, systemInstruction: system.length > 0 ? { parts: system } : null };
}

function modelParts(
  message: JsonObject,
  at: string,
  toolNames: Map<string, string>,
  options: ConversationOptions,
): JsonObject[] {
  if (message.function_call !== undefined && message.function_call !== null) throw noCounterpart(`${at}.function_call`);
  if (message.audio !== undefined && message.audio !== null) throw noCounterpart(`${at}.audio`);
  const parts: JsonObject[] = textPieces(message.content, `${at}.content`, true).map((text) => ({ text }));

  const calls = message.tool_calls;
  if (calls !== undefined && calls !== null) {
    if (!Array.isArray(calls)) throw refuse(`${at}.tool_calls`, `${at}.tool_calls must be an array`);
    calls.forEach((call: unknown, k) => {
      const callAt = `${at}.tool_calls[${k}]`;
      if (!isJsonObject(call) || !isJsonObject(call.function)) {
        throw refuse(callAt, `${callAt} must be { id, type: "function", function: { name, arguments } }`);
      }
      const name = call.function.name;
      if (typeof name !== 'string' || name === '') {
        throw refuse(`${callAt}.function.name`, `${callAt}.function.name must be a non-empty string`);
      }
      if (typeof call.id === 'string') toolNames.set(call.id, name);
      const part: JsonObject = {
        functionCall: { name, args: callArguments(call.function.arguments, `${callAt}.function.arguments`) },
      };
      // Gemini signs the first call of a turn; later parallel calls carry none.
      const signature = thoughtSignatureOf(call) ?? (k === 0 ? options.signatureFallback : null);
      if (signature) part.thoughtSignature = signature;
      parts.push(part);
    });
  }
  if (parts.length === 0) throw refuse(`${at}.content`, `${at} must have content or tool_calls`);
  return parts;
}

function functionResponse(message: JsonObject, at: string, toolNames: Map<string, string>): JsonObject {
  const id = message.tool_call_id;
  const name = typeof id === 'string' ? toolNames.get(id) : undefined;
  if (name === undefined) {
    throw refuse(`${at}.tool_call_id`, `${at}.tool_call_id must name a tool call of an earlier assistant message`);
  }
  const text = textPieces(message.content, `${at}.content`).join('');
  return { functionResponse: { name, response: toolResponse(text) } };
}
