/** Reading the fake's answers in specs: SSE in each dialect's framing, cut streams, nested fields. */
import { isRecord } from '../json-guards.js';

/** The parsed `data:` payloads of an SSE body (`\n\n` or `\r\n\r\n` framing); `[DONE]` is kept as a string. */
export function sseEvents(text: string): unknown[] {
  return namedSseEvents(text).map((event) => event.data);
}

/** Each SSE event with its `event:` name (undefined when unnamed, as in OpenAI's and Gemini's streams). */
export function namedSseEvents(text: string): { event: string | undefined; data: unknown }[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      let event: string | undefined;
      let data = '';
      for (const line of frame.split(/\r?\n/)) {
        if (line.startsWith('event: ')) event = line.slice('event: '.length);
        else if (line.startsWith('data: ')) data += line.slice('data: '.length);
      }
      return { event, data: data === '[DONE]' ? data : (JSON.parse(data) as unknown) };
    });
}

/**
 * Reads a body until it ends or the connection breaks, keeping what arrived
 * before the break; `sofar.text` shows what has arrived while it reads.
 */
export async function readUntilError(
  response: Response,
  sofar: { text: string } = { text: '' },
): Promise<{ text: string; error: unknown }> {
  if (!response.body) return { text: '', error: undefined };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return { text: sofar.text, error: undefined };
      sofar.text += decoder.decode(chunk.value as Uint8Array, { stream: true });
    }
  } catch (error) {
    return { text: sofar.text, error };
  }
}

export function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number' && Array.isArray(current)) current = current[key];
    else if (typeof key === 'string' && isRecord(current)) current = current[key];
    else return undefined;
  }
  return current;
}
