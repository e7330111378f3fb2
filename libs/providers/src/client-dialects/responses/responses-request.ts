import { isJsonObject, type JsonObject } from '../../json.js';
import { isSet } from './responses-fields.js';
import { chatMessages } from './responses-input.js';
import { invalidField } from './responses-invalid.js';
import { nativeOnlyField } from './responses-native-only.js';

/** Fields chat completions takes under the same name and meaning. */
const SAME_IN_CHAT = [
  'model',
  'temperature',
  'top_p',
  'metadata',
  'user',
  'parallel_tool_calls',
  'stream',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'service_tier',
] as const;

/** A Responses function tool (flat) as chat's (nested under `function`). */
function chatTool(tool: unknown, param: string): JsonObject {
  if (!isJsonObject(tool)) throw invalidField(param, `${param} must be an object`);
  if (typeof tool.name !== 'string') throw invalidField(`${param}.name`, `${param}.name must be a string`);
  const fn: JsonObject = { name: tool.name };
  for (const key of ['description', 'parameters', 'strict'] as const) if (isSet(tool[key])) fn[key] = tool[key];
  return { type: 'function', function: fn };
}

/** `auto` / `none` / `required` are chat's too; a named function and an allowed-tools list nest as chat's do. */
function chatToolChoice(choice: unknown): unknown {
  if (typeof choice === 'string') {
    if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
    throw invalidField('tool_choice', 'tool_choice must be auto, none, required or an object');
  }
  if (!isJsonObject(choice)) throw invalidField('tool_choice', 'tool_choice must be a string or an object');
  if (choice.type === 'function') {
    if (typeof choice.name !== 'string') throw invalidField('tool_choice.name', 'tool_choice.name must be a string');
    return { type: 'function', function: { name: choice.name } };
  }
  // allowed_tools (nativeOnlyField let only function tools through)
  if (!Array.isArray(choice.tools)) throw invalidField('tool_choice.tools', 'tool_choice.tools must be an array');
  const tools = (choice.tools as unknown[]).map((tool, i) => {
    const name = isJsonObject(tool) ? tool.name : undefined;
    if (typeof name !== 'string') {
      throw invalidField(`tool_choice.tools[${i}].name`, `tool_choice.tools[${i}].name must be a string`);
    }
    return { type: 'function', function: { name } };
  });
  return { type: 'allowed_tools', allowed_tools: { mode: choice.mode ?? 'auto', tools } };
}

/** `text.format` as chat's `response_format`; `text.verbosity` is chat's top-level `verbosity`. */
function readText(text: unknown, chat: JsonObject): void {
  if (!isJsonObject(text)) throw invalidField('text', 'text must be an object');
  if (isSet(text.verbosity)) chat.verbosity = text.verbosity;
  const format = text.format;
  if (!isSet(format)) return;
  if (!isJsonObject(format)) throw invalidField('text.format', 'text.format must be an object');
  if (format.type === 'json_object') chat.response_format = { type: 'json_object' };
  if (format.type !== 'json_schema') return; // `text`: chat's default
  if (typeof format.name !== 'string') throw invalidField('text.format.name', 'text.format.name must be a string');
  if (!isJsonObject(format.schema)) throw invalidField('text.format.schema', 'text.format.schema must be an object');
  const jsonSchema: JsonObject = { name: format.name, schema: format.schema };
  if (isSet(format.description)) jsonSchema.description = format.description;
  if (isSet(format.strict)) jsonSchema.strict = format.strict;
  chat.response_format = { type: 'json_schema', json_schema: jsonSchema };
}

/**
 * `reasoning.effort` is chat's `reasoning_effort`. `summary` asks for
 * summaries of the reasoning in the output, which chat does not return;
 * it is left behind, as OpenAI's own models return none for many requests
 * that ask (an answer without summary items is one OpenAI gives too).
 */
function readReasoning(reasoning: unknown, chat: JsonObject): void {
  if (!isJsonObject(reasoning)) throw invalidField('reasoning', 'reasoning must be an object');
  if (isSet(reasoning.effort)) chat.reasoning_effort = reasoning.effort;
}

/** The stateful switches the translation accepts when off: of the documented types, so none is misread. */
function checkSwitches(body: JsonObject): void {
  for (const key of ['store', 'background'] as const) {
    if (isSet(body[key]) && typeof body[key] !== 'boolean') throw invalidField(key, `${key} must be a boolean`);
  }
  if (isSet(body.truncation) && body.truncation !== 'disabled') {
    throw invalidField('truncation', 'truncation must be auto or disabled');
  }
  if (isSet(body.include) && !Array.isArray(body.include)) throw invalidField('include', 'include must be an array');
}

/**
 * A Responses request as a chat-completions body (OpenAI form, `stream`
 * kept). A field only a native channel can serve is a 400 naming it (the
 * edge routes such requests natively and never gets here with one).
 * `store: false`, `background: false`, `truncation: 'disabled'` and
 * `stream_options` (its one option, `include_obfuscation`, pads events the
 * encoder writes without padding) need nothing from chat.
 */
export function chatBodyOf(body: JsonObject): JsonObject {
  const nativeOnly = nativeOnlyField(body);
  if (nativeOnly !== null) {
    throw invalidField(
      nativeOnly,
      `${nativeOnly} is served only by a channel that speaks the Responses API natively; chat completions have no counterpart`,
    );
  }
  checkSwitches(body);
  const chat: JsonObject = { messages: chatMessages(body) };
  for (const key of SAME_IN_CHAT) if (isSet(body[key])) chat[key] = body[key];
  if (isSet(body.max_output_tokens)) chat.max_completion_tokens = body.max_output_tokens;
  if (isSet(body.tools)) {
    if (!Array.isArray(body.tools)) throw invalidField('tools', 'tools must be an array');
    const tools = (body.tools as unknown[]).map((tool, i) => chatTool(tool, `tools[${i}]`));
    if (tools.length > 0) chat.tools = tools;
  }
  if (isSet(body.tool_choice)) {
    const choice = chatToolChoice(body.tool_choice);
    // Responses takes a tool choice without tools; chat refuses one.
    if (chat.tools !== undefined) chat.tool_choice = choice;
  }
  if (isSet(body.text)) readText(body.text, chat);
  if (isSet(body.reasoning)) readReasoning(body.reasoning, chat);
  return chat;
}
