import { isJsonObject, type JsonObject } from '../../json.js';

/**
 * What of a Messages request only Anthropic itself can serve: features that
 * run or are stored on Anthropic's side, shapes chat completions have no
 * counterpart for, and fields newer than this translation (Anthropic adds
 * some every few weeks, Claude Code sends them early). Such a request goes
 * to a channel that speaks Messages natively, instead of being refused.
 */

/** The top-level fields `toChat` translates, or leaves behind as hints (`service_tier`, `cache_control`); any other is native-only. */
export const TRANSLATED_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'metadata',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'output_format',
  'service_tier',
  'cache_control',
]);

/** The fields of a client tool `toChat` reads; `cache_control` is a hint, left behind. */
const TOOL_FIELDS: ReadonlySet<string> = new Set([
  'type',
  'name',
  'description',
  'input_schema',
  'strict',
  'cache_control',
]);

const USER_BLOCKS: ReadonlySet<string> = new Set(['text', 'image', 'document', 'tool_result']);
const ASSISTANT_BLOCKS: ReadonlySet<string> = new Set(['text', 'tool_use', 'thinking', 'redacted_thinking']);

const isSet = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * A tool is the client's own (a function the client runs) when it has no
 * `type` or `custom`; any other type is one of Anthropic's server tools
 * (`web_search_20250305`, `code_execution_…`) or a tool whose definition
 * only Anthropic knows (`bash_…`, `text_editor_…`, `computer_…`).
 */
export const isClientTool = (tool: unknown): boolean =>
  isJsonObject(tool) && (tool.type === undefined || tool.type === null || tool.type === 'custom');

/** The tool's native-only field (`type` of a server tool, a field newer than this translation), or null. */
function nativeOnlyToolField(tool: unknown): string | null {
  if (!isJsonObject(tool)) return null; // malformed: toChat names it
  if (!isClientTool(tool)) return 'type';
  return Object.keys(tool).find((key) => !TOOL_FIELDS.has(key) && isSet(tool[key])) ?? null;
}

/**
 * The native-only part of one content block, relative to the block: a
 * block type chat has no counterpart for (a server tool's call and result,
 * `search_result`, `container_upload`…), a source on Anthropic's Files API,
 * a PDF by URL, citations. Null when chat can take it (or it is malformed,
 * which toChat names).
 */
function nativeOnlyBlockField(block: unknown, role: unknown): string | null {
  if (!isJsonObject(block) || typeof block.type !== 'string') return null;
  const known = role === 'assistant' ? ASSISTANT_BLOCKS : USER_BLOCKS;
  if (!known.has(block.type)) return 'type';
  if (block.type !== 'image' && block.type !== 'document') return null;
  const source = block.source;
  if (!isJsonObject(source)) return null;
  if (source.type === 'file') return 'source.type';
  if (block.type === 'document') {
    if (isJsonObject(block.citations) && block.citations.enabled === true) return 'citations';
    const pdf = source.type === 'base64' && source.media_type === 'application/pdf';
    if (!pdf && source.type !== 'text') return 'source.type';
  }
  return null;
}

/** A closing assistant message is Anthropic's prefill (the answer continues its text); chat has no such thing. */
function isPrefill(messages: unknown[]): boolean {
  const last = messages.at(-1);
  return isJsonObject(last) && last.role === 'assistant';
}

/** The first native-only field, as the client spelled it; null when any channel may serve the request. */
export function nativeOnlyField(body: JsonObject): string | null {
  const field = Object.keys(body).find((key) => !TRANSLATED_FIELDS.has(key) && isSet(body[key]));
  if (field !== undefined) return field;
  if (Array.isArray(body.tools)) {
    for (const [i, tool] of (body.tools as unknown[]).entries()) {
      const toolField = nativeOnlyToolField(tool);
      if (toolField !== null) return `tools[${i}].${toolField}`;
    }
  }
  if (!Array.isArray(body.messages)) return null;
  const messages = body.messages as unknown[];
  for (const [i, message] of messages.entries()) {
    if (!isJsonObject(message) || !Array.isArray(message.content)) continue;
    for (const [j, block] of (message.content as unknown[]).entries()) {
      const blockField = nativeOnlyBlockField(block, message.role);
      if (blockField !== null) return `messages[${i}].content[${j}].${blockField}`;
    }
  }
  return isPrefill(messages) ? `messages[${messages.length - 1}]` : null;
}

/**
 * The request without what only Anthropic can serve: what the edge counts
 * the hold from (the native channel still gets the client's bytes). A
 * tool_choice naming a removed tool goes with it, and a message left empty.
 */
export function withoutNativeOnlyFields(body: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) if (TRANSLATED_FIELDS.has(key)) out[key] = value;
  if (Array.isArray(body.tools)) {
    const tools = body.tools as unknown[];
    const kept = tools
      .filter((tool) => !isJsonObject(tool) || isClientTool(tool))
      .map((tool) =>
        isJsonObject(tool) ? Object.fromEntries(Object.entries(tool).filter(([key]) => TOOL_FIELDS.has(key))) : tool,
      );
    out.tools = kept;
    const choice = body.tool_choice;
    const keptNames = new Set(kept.map((tool) => (isJsonObject(tool) ? tool.name : undefined)));
    if (isJsonObject(choice) && choice.type === 'tool' && !keptNames.has(choice.name)) delete out.tool_choice;
  }
  if (Array.isArray(body.messages)) {
    const messages = (body.messages as unknown[])
      .map((message) => {
        if (!isJsonObject(message) || !Array.isArray(message.content)) return message;
        const content = (message.content as unknown[]).filter(
          (block) => nativeOnlyBlockField(block, message.role) === null,
        );
        return { ...message, content };
      })
      .filter((message) => !isJsonObject(message) || !Array.isArray(message.content) || message.content.length > 0);
    // The prefill's text is left out of the count: chat has no place for it.
    while (isPrefill(messages)) messages.pop();
    out.messages = messages;
  }
  return out;
}
