import { isJsonObject, type JsonObject } from '../../json.js';
import { invalidParam } from '../../adapters/anthropic/invalid-param.js';
import { imagePart, textPart, userPart } from './messages-content.js';

/**
 * What Anthropic-to-OpenAI gateways put before a failed tool's output:
 * chat's tool message has no error flag, so the model reads it in the text.
 */
export const TOOL_ERROR_PREFIX = 'Error: ';

/**
 * Assistant blocks that are left out of the chat history. A thinking block's
 * text is only valid with Anthropic's signature, which no chat upstream can
 * check, and chat has no field for earlier reasoning (OpenAI's reasoning
 * models keep theirs server-side; DeepSeek refuses it in input); a redacted
 * block is encrypted for Anthropic alone. Dropping them is what Anthropic
 * itself does with earlier turns' thinking: it is not part of the context.
 */
const DROPPED_ASSISTANT_BLOCKS = new Set(['thinking', 'redacted_thinking']);

/** `system`: a string or a list of text blocks, as the leading system message. */
export function systemMessage(system: unknown): JsonObject | null {
  if (system === undefined || system === null) return null;
  if (typeof system === 'string') return system === '' ? null : { role: 'system', content: system };
  if (!Array.isArray(system)) throw invalidParam('system', 'system must be a string or a list of text blocks');
  const parts = system.map((block: unknown, i) => {
    const at = `system[${i}]`;
    if (!isJsonObject(block) || block.type !== 'text') {
      throw invalidParam(`${at}.type`, `${at} must be a text block ({ type: 'text', text })`);
    }
    return textPart(block, at);
  });
  if (parts.length === 0) return null;
  // One block reads best as the plain string every chat upstream takes; several keep their boundaries as parts.
  return { role: 'system', content: parts.length === 1 ? parts[0].text : parts };
}

/** A tool result's own content: a string, or text (and image) blocks. */
interface ToolOutput {
  text: JsonObject[] | string;
  /** Images the tool returned: chat's tool message takes text only, so they follow in a user message. */
  images: JsonObject[];
}

function toolOutput(content: unknown, at: string): ToolOutput {
  if (content === undefined || content === null) return { text: '', images: [] };
  if (typeof content === 'string') return { text: content, images: [] };
  if (!Array.isArray(content)) throw invalidParam(at, `${at} must be a string or a list of content blocks`);
  const text: JsonObject[] = [];
  const images: JsonObject[] = [];
  content.forEach((block: unknown, k) => {
    const blockAt = `${at}[${k}]`;
    if (isJsonObject(block) && block.type === 'text') text.push(textPart(block, blockAt));
    else if (isJsonObject(block) && block.type === 'image') images.push(imagePart(block, blockAt));
    else {
      throw invalidParam(
        `${blockAt}.type`,
        `${blockAt}.type must be text or image: chat tool messages have no counterpart for it`,
      );
    }
  });
  return { text, images };
}

function withErrorPrefix(text: JsonObject[] | string): JsonObject[] | string {
  if (typeof text === 'string') return TOOL_ERROR_PREFIX + text;
  if (text.length === 0) return TOOL_ERROR_PREFIX.trimEnd();
  const [first, ...rest] = text;
  return [{ ...first, text: TOOL_ERROR_PREFIX + String(first.text) }, ...rest];
}

/** A user message: its tool results as `tool` messages first (chat wants them right after the calls), then the rest. */
function userMessages(content: unknown, at: string): JsonObject[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  if (!Array.isArray(content))
    throw invalidParam(`${at}.content`, `${at}.content must be a string or a list of blocks`);
  const tools: JsonObject[] = [];
  const parts: JsonObject[] = [];
  const toolImages: JsonObject[] = [];
  content.forEach((block: unknown, j) => {
    const blockAt = `${at}.content[${j}]`;
    if (!isJsonObject(block) || block.type !== 'tool_result') {
      parts.push(userPart(block, blockAt));
      return;
    }
    if (typeof block.tool_use_id !== 'string') {
      throw invalidParam(`${blockAt}.tool_use_id`, `${blockAt}.tool_use_id must be a string`);
    }
    const output = toolOutput(block.content, `${blockAt}.content`);
    tools.push({
      role: 'tool',
      tool_call_id: block.tool_use_id,
      content: block.is_error === true ? withErrorPrefix(output.text) : output.text,
    });
    if (output.images.length > 0) {
      toolImages.push({ type: 'text', text: `Images returned by tool call ${block.tool_use_id}:` }, ...output.images);
    }
  });
  const userContent = [...toolImages, ...parts];
  return userContent.length > 0 ? [...tools, { role: 'user', content: userContent }] : tools;
}

function toolCall(block: JsonObject, at: string): JsonObject {
  if (typeof block.id !== 'string') throw invalidParam(`${at}.id`, `${at}.id must be a string`);
  if (typeof block.name !== 'string') throw invalidParam(`${at}.name`, `${at}.name must be a string`);
  if (block.input !== undefined && !isJsonObject(block.input)) {
    throw invalidParam(`${at}.input`, `${at}.input must be an object`);
  }
  return {
    id: block.id,
    type: 'function',
    function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
  };
}

/** An assistant message: its text as the content, its tool_use blocks as tool calls; null when nothing is left. */
function assistantMessage(content: unknown, at: string): JsonObject | null {
  if (typeof content === 'string') return { role: 'assistant', content };
  if (!Array.isArray(content))
    throw invalidParam(`${at}.content`, `${at}.content must be a string or a list of blocks`);
  const texts: string[] = [];
  const calls: JsonObject[] = [];
  content.forEach((block: unknown, j) => {
    const blockAt = `${at}.content[${j}]`;
    if (!isJsonObject(block)) throw invalidParam(blockAt, `${blockAt} must be a content block object`);
    if (block.type === 'text') texts.push(textPart(block, blockAt).text as string);
    else if (block.type === 'tool_use') calls.push(toolCall(block, blockAt));
    else if (!DROPPED_ASSISTANT_BLOCKS.has(String(block.type))) {
      throw invalidParam(
        `${blockAt}.type`,
        `${blockAt}.type must be text, tool_use, thinking or redacted_thinking in an assistant message on chat channels`,
      );
    }
  });
  if (texts.length === 0 && calls.length === 0) return null;
  const message: JsonObject = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

/**
 * Anthropic's conversation as chat messages, in order. A closing assistant
 * message is Anthropic's prefill (the answer continues that text), which
 * chat completions have no counterpart for: it is refused.
 */
export function chatMessages(messages: unknown): JsonObject[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalidParam('messages', 'messages must be a non-empty array');
  }
  const out: JsonObject[] = [];
  messages.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isJsonObject(message)) throw invalidParam(at, `${at} must be an object`);
    if (message.role === 'user') out.push(...userMessages(message.content, at));
    else if (message.role === 'assistant') {
      if (i === messages.length - 1) {
        throw invalidParam(at, `${at}: a final assistant message (prefill) has no counterpart on chat channels`);
      }
      const assistant = assistantMessage(message.content, at);
      if (assistant) out.push(assistant);
    } else throw invalidParam(`${at}.role`, `${at}.role must be user or assistant`);
  });
  return out;
}
