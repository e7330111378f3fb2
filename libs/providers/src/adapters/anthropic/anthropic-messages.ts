import { isJsonObject, type JsonObject } from '../../json.js';
import { invalidParam } from './invalid-param.js';

/** OpenAI's conversation as Anthropic takes it: the system text apart, then alternating user / assistant turns. */
export interface AnthropicConversation {
  /** Every system and developer message's text, in order; empty when there was none. */
  system: JsonObject[];
  messages: JsonObject[];
}

type Turn = { role: 'user' | 'assistant'; content: JsonObject[] };

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/**
 * Anthropic's prompt-caching marker, which OpenAI-format clients written for
 * Anthropic (LiteLLM, OpenRouter users) put on content parts: kept, so such
 * a prompt is cached as its author asked.
 */
function withCacheControl(block: JsonObject, part: JsonObject): JsonObject {
  return isJsonObject(part.cache_control) ? { ...block, cache_control: part.cache_control } : block;
}

function textBlock(text: string, part: JsonObject = {}): JsonObject {
  return withCacheControl({ type: 'text', text }, part);
}

/** Content that may only hold text (system, developer, tool messages): a string or a list of text parts. */
function textBlocks(content: unknown, param: string): JsonObject[] {
  if (typeof content === 'string') return content === '' ? [] : [textBlock(content)];
  if (!Array.isArray(content)) throw invalidParam(param, `${param} must be a string or a list of text parts`);
  return content.map((part: unknown, j) => {
    if (!isJsonObject(part) || part.type !== 'text' || typeof part.text !== 'string') {
      throw invalidParam(`${param}[${j}]`, `${param}[${j}] must be a text part ({ type: 'text', text })`);
    }
    return textBlock(part.text, part);
  });
}

function imageBlock(part: JsonObject, param: string): JsonObject {
  const image = part.image_url;
  const url = isJsonObject(image) ? image.url : image;
  if (typeof url !== 'string') throw invalidParam(`${param}.image_url.url`, `${param}.image_url.url must be a string`);
  const data = DATA_URL.exec(url);
  if (data) {
    return withCacheControl({ type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } }, part);
  }
  if (/^https?:\/\//i.test(url)) return withCacheControl({ type: 'image', source: { type: 'url', url } }, part);
  throw invalidParam(
    `${param}.image_url.url`,
    `${param}.image_url.url must be an http(s) URL or a base64 data URL (data:image/png;base64,…)`,
  );
}

function userBlocks(content: unknown, param: string): JsonObject[] {
  if (typeof content === 'string') return content === '' ? [] : [textBlock(content)];
  if (!Array.isArray(content)) throw invalidParam(param, `${param} must be a string or a list of content parts`);
  return content.map((part: unknown, j) => {
    const at = `${param}[${j}]`;
    if (!isJsonObject(part)) throw invalidParam(at, `${at} must be a content part object`);
    if (part.type === 'text' && typeof part.text === 'string') return textBlock(part.text, part);
    if (part.type === 'image_url') return imageBlock(part, at);
    throw invalidParam(
      `${at}.type`,
      `${at}.type must be text or image_url: anthropic channels take no ${String(part.type)} parts`,
    );
  });
}

function toolArguments(raw: unknown, param: string): JsonObject {
  // Some clients send a call without arguments as an empty string.
  if (raw === undefined || raw === '') return {};
  let input: unknown;
  try {
    input = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    input = undefined;
  }
  if (!isJsonObject(input)) throw invalidParam(param, `${param} must be a JSON object, as a string`);
  return input;
}

function assistantBlocks(message: JsonObject, param: string): JsonObject[] {
  const blocks: JsonObject[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    if (content !== '') blocks.push(textBlock(content));
  } else if (Array.isArray(content)) {
    content.forEach((part: unknown, j) => {
      const at = `${param}.content[${j}]`;
      if (isJsonObject(part) && part.type === 'text' && typeof part.text === 'string') {
        if (part.text !== '') blocks.push(textBlock(part.text, part));
      } else if (isJsonObject(part) && part.type === 'refusal' && typeof part.refusal === 'string') {
        blocks.push(textBlock(part.refusal));
      } else {
        throw invalidParam(at, `${at} must be a text or refusal part`);
      }
    });
  } else if (content !== null && content !== undefined) {
    throw invalidParam(`${param}.content`, `${param}.content must be a string, a list of parts or null`);
  }

  const calls = message.tool_calls;
  if (calls === null || calls === undefined) return blocks;
  if (!Array.isArray(calls)) throw invalidParam(`${param}.tool_calls`, `${param}.tool_calls must be a list`);
  calls.forEach((call: unknown, j) => {
    const at = `${param}.tool_calls[${j}]`;
    const fn = isJsonObject(call) ? call.function : undefined;
    if (!isJsonObject(call) || typeof call.id !== 'string') throw invalidParam(`${at}.id`, `${at}.id must be a string`);
    if (!isJsonObject(fn) || typeof fn.name !== 'string') {
      throw invalidParam(`${at}.function.name`, `${at}.function.name must be a string`);
    }
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: fn.name,
      input: toolArguments(fn.arguments, `${at}.function.arguments`),
    });
  });
  return blocks;
}

function toolResult(message: JsonObject, param: string): JsonObject {
  if (typeof message.tool_call_id !== 'string') {
    throw invalidParam(`${param}.tool_call_id`, `${param}.tool_call_id must be a string`);
  }
  const content = message.content;
  return {
    type: 'tool_result',
    tool_use_id: message.tool_call_id,
    content: typeof content === 'string' ? content : textBlocks(content, `${param}.content`),
  };
}

/**
 * The OpenAI messages (already checked to be objects with a role) as
 * Anthropic's: system and developer messages become the top-level system
 * text, a tool result goes back in a user turn, and consecutive messages of
 * one role are merged into one turn, as Anthropic needs the roles to
 * alternate (so parallel tool results share one user turn, results first).
 */
export function anthropicConversation(messages: JsonObject[]): AnthropicConversation {
  const system: JsonObject[] = [];
  const turns: Turn[] = [];
  const add = (role: Turn['role'], content: JsonObject[]) => {
    if (content.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...content);
    else turns.push({ role, content });
  };

  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textBlocks(message.content, `${param}.content`));
        break;
      case 'user':
        add('user', userBlocks(message.content, `${param}.content`));
        break;
      case 'assistant':
        add('assistant', assistantBlocks(message, param));
        break;
      case 'tool':
        add('user', [toolResult(message, param)]);
        break;
      default:
        throw invalidParam(
          `${param}.role`,
          `${param}.role must be system, developer, user, assistant or tool on anthropic channels`,
        );
    }
  });
  return { system, messages: turns.map((turn) => ({ role: turn.role, content: turn.content })) };
}
