import { isJsonObject, type JsonObject } from '../../json.js';
import { invalidParam } from '../../adapters/anthropic/invalid-param.js';

/**
 * Anthropic content blocks as chat content parts, one block at a time.
 * `cache_control` markers are left behind: they change what a request
 * costs, never what it answers, and OpenAI refuses a part with a field it
 * does not know (chat upstreams cache prompts on their own, or not at all).
 */

/** The filename a chat `file` part needs; Anthropic's document `title` when it has one. */
const DEFAULT_PDF_NAME = 'document.pdf';

export function textPart(block: JsonObject, at: string): JsonObject {
  if (typeof block.text !== 'string') throw invalidParam(`${at}.text`, `${at}.text must be a string`);
  return { type: 'text', text: block.text };
}

/** An image block: base64 data as a data URL, a URL as it is (chat's `image_url` takes both). */
export function imagePart(block: JsonObject, at: string): JsonObject {
  const source = block.source;
  if (!isJsonObject(source)) throw invalidParam(`${at}.source`, `${at}.source must be an object`);
  if (source.type === 'base64') {
    if (typeof source.media_type !== 'string' || typeof source.data !== 'string') {
      throw invalidParam(`${at}.source`, `${at}.source must have a media_type and base64 data`);
    }
    return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  }
  if (source.type === 'url') {
    if (typeof source.url !== 'string') throw invalidParam(`${at}.source.url`, `${at}.source.url must be a string`);
    return { type: 'image_url', image_url: { url: source.url } };
  }
  throw invalidParam(
    `${at}.source.type`,
    `${at}.source.type must be base64 or url: chat channels have no counterpart for a ${String(source.type)} image`,
  );
}

/**
 * A document block. A base64 PDF is chat's `file` part (`file_data`, a data
 * URL, which OpenAI and Gemini both read); a plain-text document is its
 * text, titled as the client titled it. A PDF by URL (chat parts take no
 * file URL), a Files API id, custom content and citations have no chat
 * counterpart, and are refused.
 */
export function documentPart(block: JsonObject, at: string): JsonObject {
  if (isJsonObject(block.citations) && block.citations.enabled === true) {
    throw invalidParam(`${at}.citations`, 'citations have no counterpart on chat channels');
  }
  const source = block.source;
  if (!isJsonObject(source)) throw invalidParam(`${at}.source`, `${at}.source must be an object`);
  const title = typeof block.title === 'string' && block.title !== '' ? block.title : null;
  if (source.type === 'base64' && source.media_type === 'application/pdf' && typeof source.data === 'string') {
    return {
      type: 'file',
      file: { filename: title ?? DEFAULT_PDF_NAME, file_data: `data:application/pdf;base64,${source.data}` },
    };
  }
  if (source.type === 'text' && typeof source.data === 'string') {
    return { type: 'text', text: title === null ? source.data : `${title}\n\n${source.data}` };
  }
  throw invalidParam(
    `${at}.source.type`,
    `${at}.source must be a base64 PDF or plain text: chat channels have no counterpart for this document`,
  );
}

/** One block of a user message other than a tool result. */
export function userPart(block: unknown, at: string): JsonObject {
  if (!isJsonObject(block)) throw invalidParam(at, `${at} must be a content block object`);
  switch (block.type) {
    case 'text':
      return textPart(block, at);
    case 'image':
      return imagePart(block, at);
    case 'document':
      return documentPart(block, at);
    default:
      throw invalidParam(
        `${at}.type`,
        `${at}.type must be text, image, document or tool_result: chat channels have no counterpart for ${String(block.type)}`,
      );
  }
}
