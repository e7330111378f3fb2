import { isJsonObject, type JsonObject } from '../../json.js';
import { FUNCTION_TOOL_FIELDS, isSet, itemType, TRANSLATED_FIELDS } from './responses-fields.js';

/**
 * What of a Responses request only OpenAI's own Responses API (OpenAI or
 * Azure) can serve: state kept on OpenAI's side (`previous_response_id`,
 * `conversation`, `store: true`, `background: true`, stored `prompt`s,
 * `item_reference`s, Files API ids), the built-in tools that run there
 * (web_search, file_search, code_interpreter, computer_use, mcp,
 * image_generation…) and their items, and fields newer than this
 * translation. The edge routes such a request to a native channel; a
 * translation would have to drop them, which would answer a different
 * question than the one asked.
 */

/** The one include value a translated answer satisfies: it has no reasoning items, so no encrypted content is owed. */
const TRANSLATABLE_INCLUDES: ReadonlySet<string> = new Set(['reasoning.encrypted_content']);
const TEXT_FORMATS: ReadonlySet<string> = new Set(['text', 'json_object', 'json_schema']);
const TEXT_FIELDS: ReadonlySet<string> = new Set(['format', 'verbosity']);
const REASONING_FIELDS: ReadonlySet<string> = new Set(['effort', 'summary', 'generate_summary']);
/** Chat's image `detail` values; Responses also has `original`, which chat cannot ask for. */
const IMAGE_DETAILS: ReadonlySet<unknown> = new Set([undefined, null, 'auto', 'low', 'high']);

/** Content part types per message role that chat messages can carry. */
const PARTS_BY_ROLE: Readonly<Record<string, ReadonlySet<string>>> = {
  user: new Set(['input_text', 'input_image', 'input_file']),
  system: new Set(['input_text']),
  developer: new Set(['input_text']),
  assistant: new Set(['output_text', 'input_text', 'refusal']),
};
/** A function's output as chat's tool message takes it: text. */
const TOOL_OUTPUT_PARTS: ReadonlySet<string> = new Set(['input_text']);
/** Input item types with a chat counterpart (`reasoning` is dropped, see responses-input.ts). */
const TRANSLATED_ITEMS: ReadonlySet<string> = new Set([
  'message',
  'function_call',
  'function_call_output',
  'reasoning',
]);

/** A top-level field whose value needs OpenAI's state or features; null when it is off or translatable. */
function nativeOnlyTopLevel(body: JsonObject, key: string): string | null {
  const value = body[key];
  if (!isSet(value)) return null;
  switch (key) {
    case 'previous_response_id':
    case 'conversation':
    case 'prompt':
      return key;
    case 'store':
    case 'background':
      return value === true ? key : null;
    case 'truncation':
      return value === 'auto' ? key : null;
    case 'include': {
      if (!Array.isArray(value)) return null; // malformed: toChat names it
      const at = (value as unknown[]).findIndex((entry) => !TRANSLATABLE_INCLUDES.has(entry as string));
      return at === -1 ? null : `include[${at}]`;
    }
    case 'text':
      return isJsonObject(value) ? nativeOnlyText(value) : null;
    case 'reasoning':
      return isJsonObject(value) ? nativeOnlyIn('reasoning', value, REASONING_FIELDS) : null;
    case 'tool_choice':
      return nativeOnlyToolChoice(value);
    default:
      return TRANSLATED_FIELDS.has(key) ? null : key;
  }
}

function nativeOnlyIn(prefix: string, value: JsonObject, known: ReadonlySet<string>): string | null {
  const field = Object.keys(value).find((key) => !known.has(key) && isSet(value[key]));
  return field === undefined ? null : `${prefix}.${field}`;
}

function nativeOnlyText(text: JsonObject): string | null {
  const format = text.format;
  if (isJsonObject(format) && typeof format.type === 'string' && !TEXT_FORMATS.has(format.type)) {
    return 'text.format.type';
  }
  return nativeOnlyIn('text', text, TEXT_FIELDS);
}

/** A tool choice naming a built-in tool (`{type: 'web_search'}`, mcp, custom…); the modes and functions translate. */
function nativeOnlyToolChoice(choice: unknown): string | null {
  if (!isJsonObject(choice)) return null;
  if (choice.type === 'function') return null;
  if (choice.type !== 'allowed_tools') return 'tool_choice.type';
  if (!Array.isArray(choice.tools)) return null;
  const at = (choice.tools as unknown[]).findIndex((tool) => isJsonObject(tool) && tool.type !== 'function');
  return at === -1 ? null : `tool_choice.tools[${at}].type`;
}

/** A built-in tool (its `type`), or a function tool field newer than this translation. */
function nativeOnlyTool(tool: unknown): string | null {
  if (!isJsonObject(tool)) return null; // malformed: toChat names it
  if (tool.type !== 'function') return 'type';
  return Object.keys(tool).find((key) => !FUNCTION_TOOL_FIELDS.has(key) && isSet(tool[key])) ?? null;
}

/** The native-only field of one message content part, relative to the part. */
function nativeOnlyPart(part: unknown, role: unknown): string | null {
  if (!isJsonObject(part) || typeof part.type !== 'string') return null;
  const known = PARTS_BY_ROLE[role as string];
  if (!known) return null; // an unknown role: toChat names it
  if (!known.has(part.type)) return 'type';
  if (part.type === 'input_image') {
    if (isSet(part.file_id)) return 'file_id';
    if (!IMAGE_DETAILS.has(part.detail)) return 'detail';
  }
  if (part.type === 'input_file') {
    if (isSet(part.file_id)) return 'file_id';
    if (isSet(part.file_url)) return 'file_url';
  }
  return null;
}

/** The native-only part of one input item, relative to `input[i]` (`.type`, `.content[2].file_id`…). */
function nativeOnlyItem(item: unknown): string | null {
  if (!isJsonObject(item)) return null;
  const type = itemType(item);
  if (type === null) return null;
  if (!TRANSLATED_ITEMS.has(type)) return '.type';
  if (type === 'message' && Array.isArray(item.content)) {
    for (const [j, part] of (item.content as unknown[]).entries()) {
      const field = nativeOnlyPart(part, item.role);
      if (field !== null) return `.content[${j}].${field}`;
    }
  }
  if (type === 'function_call_output' && Array.isArray(item.output)) {
    const at = (item.output as unknown[]).findIndex(
      (part) => isJsonObject(part) && !TOOL_OUTPUT_PARTS.has(part.type as string),
    );
    if (at !== -1) return `.output[${at}].type`;
  }
  return null;
}

/** The first native-only field, as the client spelled it; null when any channel may serve the request. */
export function nativeOnlyField(body: JsonObject): string | null {
  for (const key of Object.keys(body)) {
    const field = nativeOnlyTopLevel(body, key);
    if (field !== null) return field;
  }
  if (Array.isArray(body.tools)) {
    for (const [i, tool] of (body.tools as unknown[]).entries()) {
      const field = nativeOnlyTool(tool);
      if (field !== null) return `tools[${i}].${field}`;
    }
  }
  if (!Array.isArray(body.input)) return null;
  for (const [i, item] of (body.input as unknown[]).entries()) {
    const field = nativeOnlyItem(item);
    if (field !== null) return `input[${i}]${field}`;
  }
  return null;
}

/** Whether a function tool (kept by withoutNativeOnlyFields) has this name. */
const namesKeptTool = (tools: unknown[], name: unknown): boolean =>
  tools.some((tool) => isJsonObject(tool) && tool.name === name);

/**
 * The request without what only a native channel can serve: what the edge
 * counts the hold from (the native channel still gets the client's bytes).
 * Built-in tools and their items go, with the parts chat cannot carry; a
 * message left empty goes too, and a tool choice naming a removed tool.
 */
export function withoutNativeOnlyFields(body: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(body)) {
    if (TRANSLATED_FIELDS.has(key) && nativeOnlyTopLevel(body, key) === null) out[key] = body[key];
  }
  if (isJsonObject(body.text)) {
    const { format, verbosity } = body.text;
    const keepFormat = isJsonObject(format) && nativeOnlyText({ format }) === null;
    out.text = { ...(keepFormat ? { format } : {}), ...(isSet(verbosity) ? { verbosity } : {}) };
  }
  if (isJsonObject(body.reasoning)) out.reasoning = { effort: body.reasoning.effort };
  const tools = Array.isArray(body.tools)
    ? (body.tools as unknown[])
        .filter((tool) => !isJsonObject(tool) || tool.type === 'function')
        .map((tool) =>
          isJsonObject(tool)
            ? Object.fromEntries(Object.entries(tool).filter(([key]) => FUNCTION_TOOL_FIELDS.has(key)))
            : tool,
        )
    : undefined;
  if (tools) out.tools = tools;
  const choice = body.tool_choice;
  if (isJsonObject(choice) && choice.type === 'function' && !namesKeptTool(tools ?? [], choice.name)) {
    delete out.tool_choice;
  }
  if (Array.isArray(body.input)) {
    out.input = (body.input as unknown[])
      .filter((item) => nativeOnlyItem(item) !== '.type')
      .map(withoutNativeOnlyParts)
      .filter((item) => !isJsonObject(item) || !Array.isArray(item.content) || item.content.length > 0);
  }
  return out;
}

function withoutNativeOnlyParts(item: unknown): unknown {
  if (!isJsonObject(item)) return item;
  if (itemType(item) === 'message' && Array.isArray(item.content)) {
    return { ...item, content: (item.content as unknown[]).filter((part) => nativeOnlyPart(part, item.role) === null) };
  }
  if (itemType(item) === 'function_call_output' && Array.isArray(item.output)) {
    const output = (item.output as unknown[]).filter(
      (part) => !isJsonObject(part) || TOOL_OUTPUT_PARTS.has(part.type as string),
    );
    return { ...item, output };
  }
  return item;
}
