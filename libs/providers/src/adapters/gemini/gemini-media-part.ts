import { isJsonObject, type JsonObject } from '../../json.js';
import { refuse } from './gemini-refusal.js';

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)((?:;[^,;]*)*),(.*)$/s;

/**
 * The types Gemini reads from a URL, by the extension of its path: Gemini
 * needs a `mimeType` beside a `fileUri`, and a URL says nothing else.
 */
const TYPE_BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['webp', 'image/webp'],
  ['gif', 'image/gif'],
  ['heic', 'image/heic'],
  ['heif', 'image/heif'],
  ['pdf', 'application/pdf'],
]);

/** Gemini's Files API: a file there carries its own type. */
const FILES_API = /^https:\/\/generativelanguage\.googleapis\.com\/v1(?:beta)?\/files\/[^/]+$/;

const AUDIO_TYPES: ReadonlyMap<string, string> = new Map([
  ['wav', 'audio/wav'],
  ['mp3', 'audio/mp3'],
]);

/** A base64 data URL as `inlineData`; null when `url` is not a data URL. */
function inlineData(url: string, param: string): JsonObject | null {
  if (!url.startsWith('data:')) return null;
  const match = DATA_URL.exec(url);
  if (!match || !match[2].split(';').includes('base64')) {
    throw refuse(param, `${param} must be a base64 data URL (data:<type>;base64,…) or an http(s) URL`);
  }
  return { inlineData: { mimeType: match[1], data: match[3] } };
}

/**
 * An http(s) URL as `fileData`. Gemini fetches public URLs itself; the type
 * is read from the extension, and a URL without a known one is refused
 * rather than sent with a guess Gemini would reject or misread.
 */
function fileData(url: string, param: string): JsonObject {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse(param, `${param} must be a data URL or an http(s) URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw refuse(param, `${param} must be a data URL or an http(s) URL`);
  }
  if (FILES_API.test(url)) return { fileData: { fileUri: url } };
  const extension = /\.([a-z0-9]+)$/i.exec(parsed.pathname)?.[1].toLowerCase();
  const mimeType = extension === undefined ? undefined : TYPE_BY_EXTENSION.get(extension);
  if (mimeType === undefined) {
    throw refuse(
      param,
      `${param}: gemini channels need the file's type, so send a data URL or a URL ending in ${[...TYPE_BY_EXTENSION.keys()].map((e) => `.${e}`).join(', ')}`,
    );
  }
  return { fileData: { mimeType, fileUri: url } };
}

/** `image_url` (`{ url, detail }` or a bare string): `detail` has no counterpart per part and is ignored. */
export function imagePart(part: JsonObject, param: string): JsonObject {
  const image = part.image_url;
  const url = isJsonObject(image) ? image.url : image;
  const at = isJsonObject(image) ? `${param}.image_url.url` : `${param}.image_url`;
  if (typeof url !== 'string' || url === '') throw refuse(at, `${at} must be a URL`);
  return inlineData(url, at) ?? fileData(url, at);
}

/** `input_audio`: base64 audio in one of the two formats OpenAI defines, which Gemini reads too. */
export function audioPart(part: JsonObject, param: string): JsonObject {
  const audio = part.input_audio;
  const at = `${param}.input_audio`;
  if (!isJsonObject(audio) || typeof audio.data !== 'string') throw refuse(at, `${at} must be { data, format }`);
  const mimeType = typeof audio.format === 'string' ? AUDIO_TYPES.get(audio.format) : undefined;
  if (mimeType === undefined) throw refuse(`${at}.format`, `${at}.format must be wav or mp3`);
  return { inlineData: { mimeType, data: audio.data } };
}

/** `file`: inline `file_data` (a data URL) only; an OpenAI file id means nothing to Gemini. */
export function filePart(part: JsonObject, param: string): JsonObject {
  const file = part.file;
  const at = `${param}.file`;
  if (!isJsonObject(file)) throw refuse(at, `${at} must be an object`);
  if (typeof file.file_data !== 'string') {
    throw refuse(
      file.file_id !== undefined ? `${at}.file_id` : `${at}.file_data`,
      `gemini channels take files as file_data (a base64 data URL), not OpenAI file ids`,
    );
  }
  const inline = inlineData(file.file_data, `${at}.file_data`);
  if (inline === null) throw refuse(`${at}.file_data`, `${at}.file_data must be a base64 data URL`);
  return inline;
}
