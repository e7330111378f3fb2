import { isJsonObject, type JsonObject } from '../openai/body-fields.js';
import type { UpstreamBody } from '../upstream/upstream.client.js';

/** An error body larger than this is not worth reading to find its code. */
const MAX_ERROR_BODY = 64 * 1024;
const MAX_WRAPPED_MESSAGE = 2000;

export function parseJsonObject(raw: Buffer): JsonObject | null {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * The body of a refused attempt, parsed, for its error code. Never throws:
 * a body that is too large, broken off or silent is simply not read (the
 * status alone decides about the retry).
 */
export async function readErrorBody(body: UpstreamBody): Promise<JsonObject | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ERROR_BODY) {
        body.destroy();
        return null;
      }
      chunks.push(chunk);
    }
  } catch {
    return null;
  }
  return parseJsonObject(Buffer.concat(chunks));
}

/** OpenAI's `error.code` (or `error.type`) of an error body, for the router's health rules. */
export function errorCode(json: JsonObject | null): string | null {
  const error = json?.error;
  if (!isJsonObject(error)) return null;
  const code = error.code ?? error.type;
  return typeof code === 'string' ? code : null;
}

/** An upstream 4xx keeps its status and body; an OpenAI-shaped error gains the tid, anything else is wrapped. */
export function passThroughError(parsed: JsonObject | null, raw: Buffer, tid: string): JsonObject {
  const error = parsed?.error;
  if (isJsonObject(error)) return { ...parsed, error: { ...error, tid } };
  return {
    error: {
      message: raw.toString('utf8').slice(0, MAX_WRAPPED_MESSAGE) || 'The upstream provider refused the request.',
      type: 'upstream_error',
      param: null,
      code: null,
      tid,
    },
  };
}
