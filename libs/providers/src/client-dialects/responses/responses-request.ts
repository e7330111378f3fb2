import { invalidParam } from '../../adapters/anthropic/invalid-param.js';
import { isJsonObject, type JsonObject } from '../../json.js';

/** Tools that run inside OpenAI (web search, file search, code interpreter, …): only a native channel has them. */
const isFunctionTool = (tool: unknown): boolean => isJsonObject(tool) && tool.type === 'function';

/**
 * The first field only a native Responses channel can serve, as the client
 * spelled it: a stored response continued, a conversation, a stored prompt,
 * a background run, an explicit `store: true`, a built-in tool. Null when
 * chat completions can serve the request.
 */
export function nativeOnlyField(body: JsonObject): string | null {
  for (const field of ['previous_response_id', 'conversation', 'prompt'] as const) {
    if (body[field] !== undefined && body[field] !== null) return field;
  }
  if (body.background === true) return 'background';
  if (body.store === true) return 'store';
  if (Array.isArray(body.tools)) {
    const at = body.tools.findIndex((tool) => !isFunctionTool(tool));
    if (at !== -1) return `tools[${at}].type`;
  }
  if (isJsonObject(body.tool_choice) && body.tool_choice.type !== 'function') return 'tool_choice.type';
  return null;
}

/** The body without what only a native channel serves: what the hold is counted from for a native-only request. */
export function withoutNativeOnlyFields(body: JsonObject): JsonObject {
  const out: JsonObject = { ...body };
  for (const field of ['previous_response_id', 'conversation', 'prompt', 'background', 'store']) delete out[field];
  if (Array.isArray(body.tools)) out.tools = body.tools.filter(isFunctionTool);
  if (isJsonObject(body.tool_choice) && body.tool_choice.type !== 'function') delete out.tool_choice;
  return out;
}

/**
 * Fields with no effect on a chat completion's answer, dropped: `include`
 * only asks a native upstream for extra output items (encrypted reasoning,
 * search results) that a translated answer has none of; `truncation` and
 * `reasoning.summary` steer native features; `store: false` is what a
 * translated request does anyway; `metadata` is echoed in the answer (chat
 * accepts it only for stored completions).
 */
const DROPPED = new Set(['include', 'truncation', 'store', 'metadata', 'stream_options', 'background']);

/** Fields chat completions takes under the same name and meaning. */
const SAME_NAME = [
  'model',
  'stream',
  'temperature',
  'top_p',
  'user',
  'parallel_tool_calls',
  'service_tier',
  'safety_identifier',
  'prompt_cache_key',
  'top_logprobs',
] as const;

/** Fields translated one by one below. */
const TRANSLATED = new Set(['input', 'instructions', 'tools', 'tool_choice', 'max_output_tokens', 'text', 'reasoning']);

/**
 * A Responses request as a chat-completions body, for a channel that does
 * not speak the Responses API. Refuses (400, naming the field) what chat
 * has no counterpart for, rather than dropping it: the answer would differ
 * from what the client asked without it knowing.
 */
export function chatBodyOf(body: JsonObject): JsonObject {
  const nativeOnly = nativeOnlyField(body);
  if (nativeOnly !== null) {
    throw invalidParam(nativeOnly, `${nativeOnly} is served only by channels that speak the Responses API natively`);
  }
  const chat: JsonObject = {};
  for (const [field, value] of Object.entries(body)) {
    if (value === null || value === undefined || DROPPED.has(field) || TRANSLATED.has(field)) continue;
    if (!(SAME_NAME as readonly string[]).includes(field)) {
      throw invalidParam(field, `${field} has no counterpart on the channels that serve this model`);
    }
    chat[field] = value;
  }
  const messages: JsonObject[] = [];
  if (typeof body.instructions === 'string' && body.instructions !== '') {
    messages.push({ role: 'system', content: body.instructions });
  }
  messages.push(...chatMessages(body.input));
  chat.messages = messages;
  if (typeof body.max_output_tokens === 'number') chat.max_completion_tokens = body.max_output_tokens;
  if (Array.isArray(body.tools) && body.tools.length > 0) chat.tools = body.tools.map(chatTool);
  if (body.tool_choice !== undefined && body.tool_choice !== null) chat.tool_choice = chatToolChoice(body.tool_choice);
  translateText(body.text, chat);
  translateReasoning(body.reasoning, chat);
  return chat;
}

/** `input` as chat messages: a string is one user message; items keep their order. */
export function chatMessages(input: unknown): JsonObject[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) throw invalidParam('input', 'input must be a string or an array of input items');
  const messages: JsonObject[] = [];
  input.forEach((item: unknown, i) => {
    const at = `input[${i}]`;
    if (!isJsonObject(item)) throw invalidParam(at, `${at} must be an object`);
    const type = item.type ?? 'message';
    if (type === 'message') messages.push(chatMessage(item, at));
    else if (type === 'function_call') addToolCall(messages, item, at);
    else if (type === 'function_call_output') messages.push(toolMessage(item, at));
    else if (type === 'reasoning') {
      // A previous turn's reasoning: chat completions takes none back (its models reason afresh each turn).
    } else {
      const named = (typeof type === 'string' ? type : JSON.stringify(type)).slice(0, 60);
      throw invalidParam(`${at}.type`, `${at}.type ${named} has no counterpart on the channels that serve this model`);
    }
  });
  return messages;
}

const ROLES = new Set(['user', 'assistant', 'system', 'developer']);

function chatMessage(item: JsonObject, at: string): JsonObject {
  const role = item.role;
  if (typeof role !== 'string' || !ROLES.has(role)) {
    throw invalidParam(`${at}.role`, `${at}.role must be user, assistant, system or developer`);
  }
  const content = item.content;
  if (typeof content === 'string') return { role, content };
  if (!Array.isArray(content))
    throw invalidParam(`${at}.content`, `${at}.content must be a string or an array of parts`);
  const parts = content.map((part: unknown, j) => chatPart(part, `${at}.content[${j}]`));
  // Chat's assistant and system messages take text only: their parts are joined.
  if (role !== 'user') {
    return { role, content: parts.map((part) => (part.type === 'text' ? String(part.text) : '')).join('') };
  }
  return { role, content: parts };
}

function chatPart(part: unknown, at: string): JsonObject {
  if (!isJsonObject(part)) throw invalidParam(at, `${at} must be an object`);
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: typeof part.text === 'string' ? part.text : '' };
    case 'refusal':
      return { type: 'text', text: typeof part.refusal === 'string' ? part.refusal : '' };
    case 'input_image': {
      if (typeof part.image_url !== 'string') {
        const field = part.file_id !== undefined ? 'file_id' : 'image_url';
        throw invalidParam(
          `${at}.${field}`,
          `${at} needs an image_url (a URL or a data URL); uploaded files are served only natively`,
        );
      }
      const image: JsonObject = { url: part.image_url };
      if (typeof part.detail === 'string') image.detail = part.detail;
      return { type: 'image_url', image_url: image };
    }
    case 'input_file': {
      if (typeof part.file_data !== 'string') {
        throw invalidParam(
          `${at}.file_data`,
          `${at} needs file_data; uploaded files and file URLs are served only natively`,
        );
      }
      const file: JsonObject = { file_data: part.file_data };
      if (typeof part.filename === 'string') file.filename = part.filename;
      return { type: 'file', file };
    }
    default:
      throw invalidParam(`${at}.type`, `${at}.type must be input_text, input_image or input_file`);
  }
}

/** A function call item joins the assistant message right before it (chat puts a turn's calls on one message). */
function addToolCall(messages: JsonObject[], item: JsonObject, at: string): void {
  if (typeof item.call_id !== 'string' || typeof item.name !== 'string') {
    throw invalidParam(at, `${at} (a function_call) needs a call_id and a name`);
  }
  const call = {
    id: item.call_id,
    type: 'function',
    function: { name: item.name, arguments: typeof item.arguments === 'string' ? item.arguments : '{}' },
  };
  const last = messages.at(-1);
  if (last?.role === 'assistant') {
    const calls: unknown[] = Array.isArray(last.tool_calls) ? last.tool_calls : [];
    last.tool_calls = [...calls, call];
    return;
  }
  messages.push({ role: 'assistant', content: null, tool_calls: [call] });
}

function toolMessage(item: JsonObject, at: string): JsonObject {
  if (typeof item.call_id !== 'string') throw invalidParam(`${at}.call_id`, `${at}.call_id is required`);
  const output = item.output;
  let content: string;
  if (typeof output === 'string') content = output;
  else if (Array.isArray(output)) {
    content = output
      .map((part: unknown) => (isJsonObject(part) && typeof part.text === 'string' ? part.text : ''))
      .join('');
  } else content = JSON.stringify(output ?? '');
  return { role: 'tool', tool_call_id: item.call_id, content };
}

function chatTool(tool: unknown, i: number): JsonObject {
  const at = `tools[${i}]`;
  if (!isJsonObject(tool) || typeof tool.name !== 'string') throw invalidParam(`${at}.name`, `${at}.name is required`);
  const fn: JsonObject = { name: tool.name };
  if (typeof tool.description === 'string') fn.description = tool.description;
  if (tool.parameters !== undefined && tool.parameters !== null) fn.parameters = tool.parameters;
  if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

function chatToolChoice(choice: unknown): unknown {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (isJsonObject(choice) && choice.type === 'function' && typeof choice.name === 'string') {
    return { type: 'function', function: { name: choice.name } };
  }
  throw invalidParam('tool_choice', 'tool_choice must be auto, none, required or {type: function, name}');
}

function translateText(text: unknown, chat: JsonObject): void {
  if (!isJsonObject(text)) return;
  if (typeof text.verbosity === 'string') chat.verbosity = text.verbosity;
  const format = text.format;
  if (!isJsonObject(format) || format.type === 'text') return;
  if (format.type === 'json_object') {
    chat.response_format = { type: 'json_object' };
    return;
  }
  if (format.type !== 'json_schema') {
    throw invalidParam('text.format.type', 'text.format.type must be text, json_object or json_schema');
  }
  const schema: JsonObject = {
    name: typeof format.name === 'string' ? format.name : 'response',
    schema: format.schema,
  };
  if (typeof format.description === 'string') schema.description = format.description;
  if (typeof format.strict === 'boolean') schema.strict = format.strict;
  chat.response_format = { type: 'json_schema', json_schema: schema };
}

function translateReasoning(reasoning: unknown, chat: JsonObject): void {
  if (isJsonObject(reasoning) && typeof reasoning.effort === 'string') chat.reasoning_effort = reasoning.effort;
}
