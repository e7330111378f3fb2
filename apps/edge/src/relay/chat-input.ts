import type { JsonObject } from '../openai/body-fields.js';
import {
  AUDIO_REFERENCE_TOKENS,
  audioTokens,
  FILE_PART_TOKENS,
  imageTokens,
  UNKNOWN_PART_CHARS_PER_TOKEN,
} from './input-allowances.js';
import { countIfText, countText, detailOf, InputCount } from './usage-estimate.js';

/**
 * The counts below follow OpenAI's chat format as its cookbook documents it
 * ("How to count tokens with tiktoken"): each message costs 4 tokens around
 * its content (role and separators), a `name` one more, and the reply is
 * primed with 3.
 */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_NAME = 1;
const TOKENS_PER_REPLY = 3;

/**
 * What OpenAI adds around tool definitions is not published (its cookbook
 * estimates about 7 tokens to open a function and 12 to close the section,
 * for gpt-4o). The edge counts each tool's name, description and its JSON
 * schema serialised as JSON — more tokens than OpenAI's own rendering, which
 * drops the quotes and braces — and allows 10 tokens per tool and 16 for the
 * section on top.
 */
export const TOKENS_PER_TOOL = 10;
export const TOKENS_PER_TOOL_SECTION = 16;
/** A call in an assistant message: its id, type and the wrapper around name and arguments. */
export const TOKENS_PER_TOOL_CALL = 10;
/** A `json_schema` response format: the instruction around its name, description and schema. */
export const TOKENS_PER_RESPONSE_FORMAT = 10;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Tokens of any JSON value serialised (a schema, an unknown tool). */
const countJson = (value: unknown): number => (value === undefined ? 0 : countText(JSON.stringify(value)));

/**
 * Everything the upstream bills as input in a chat request: every message,
 * the tool definitions (and the legacy `functions`), a forced `tool_choice`
 * and a `json_schema` response format.
 */
export function countChatInput(body: JsonObject): InputCount {
  const into = new InputCount();
  countMessages(body.messages, into);
  countTools(body.tools, into);
  countTools(body.functions, into);
  if (isObject(body.tool_choice)) into.counted += countJson(body.tool_choice);
  countResponseFormat(body.response_format, into);
  return into;
}

export function countMessages(messages: unknown, into: InputCount): void {
  if (!Array.isArray(messages)) return;
  into.counted += TOKENS_PER_REPLY;
  for (const message of messages as unknown[]) countMessage(message, into);
}

/**
 * One message of any role: its content, name, an assistant's tool calls (and
 * the legacy `function_call`), refusal and audio reference, a tool result's
 * call id.
 */
export function countMessage(message: unknown, into: InputCount): void {
  if (!isObject(message)) return;
  into.counted += TOKENS_PER_MESSAGE;
  countContent(message.content, into);
  if (typeof message.name === 'string') into.counted += countText(message.name) + TOKENS_PER_NAME;
  countToolCalls(message.tool_calls, into);
  if (isObject(message.function_call)) countToolCalls([{ function: message.function_call }], into);
  into.counted += countIfText(message.refusal) + countIfText(message.tool_call_id);
  if (isObject(message.audio)) into.allowed += AUDIO_REFERENCE_TOKENS;
}

/** A message's `content`: a string, or an array of parts. */
export function countContent(content: unknown, into: InputCount): void {
  if (Array.isArray(content)) for (const part of content as unknown[]) countContentPart(part, into);
  else countContentPart(content, into);
}

/**
 * One content part: `text` and `refusal` are counted; `image_url`,
 * `input_audio` and `file` hold their allowances; a part of another type
 * counts its `text`, or else about a token per 4 characters of its JSON.
 */
export function countContentPart(part: unknown, into: InputCount): void {
  if (typeof part === 'string') {
    into.counted += countText(part);
    return;
  }
  if (!isObject(part)) return;
  switch (part.type) {
    case 'text':
      into.counted += countIfText(part.text);
      return;
    case 'refusal':
      into.counted += countIfText(part.refusal);
      return;
    case 'image_url':
      into.allowed += imageTokens(detailOf(part.image_url));
      return;
    case 'input_audio': {
      const audio = isObject(part.input_audio) ? part.input_audio : {};
      into.allowed += audioTokens(audio.data, audio.format);
      return;
    }
    case 'file':
      into.allowed += FILE_PART_TOKENS;
      return;
    default:
      if (typeof part.text === 'string') into.counted += countText(part.text);
      else into.allowed += Math.ceil(JSON.stringify(part).length / UNKNOWN_PART_CHARS_PER_TOKEN);
  }
}

/** An assistant's `tool_calls`: each call's name and arguments (`custom` tools: name and input). */
export function countToolCalls(calls: unknown, into: InputCount): void {
  if (!Array.isArray(calls)) return;
  for (const call of calls as unknown[]) {
    if (!isObject(call)) continue;
    into.counted += TOKENS_PER_TOOL_CALL;
    const fn = isObject(call.function) ? call.function : isObject(call.custom) ? call.custom : {};
    into.counted += countIfText(fn.name) + countIfText(fn.arguments) + countIfText(fn.input);
  }
}

/**
 * Tool definitions (`tools`, or the legacy `functions`): a function's name,
 * description and JSON schema; a tool of another type (custom tools with a
 * grammar, hosted tools) serialised whole.
 */
export function countTools(tools: unknown, into: InputCount): void {
  if (!Array.isArray(tools) || tools.length === 0) return;
  into.counted += TOKENS_PER_TOOL_SECTION;
  for (const tool of tools as unknown[]) {
    if (!isObject(tool)) continue;
    into.counted += TOKENS_PER_TOOL;
    // A `tools` entry wraps its function ({type, function}); a legacy `functions` entry is the function.
    const fn = isObject(tool.function) ? tool.function : tool.type === undefined ? tool : null;
    into.counted += fn
      ? countIfText(fn.name) + countIfText(fn.description) + countJson(fn.parameters)
      : countJson(tool);
  }
}

/** `response_format`: a `json_schema` format's name, description and schema; `text` and `json_object` count nothing. */
export function countResponseFormat(format: unknown, into: InputCount): void {
  if (!isObject(format) || format.type !== 'json_schema' || !isObject(format.json_schema)) return;
  const { name, description, schema } = format.json_schema;
  into.counted += TOKENS_PER_RESPONSE_FORMAT + countIfText(name) + countIfText(description) + countJson(schema);
}
