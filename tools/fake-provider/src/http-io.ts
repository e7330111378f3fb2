/**
 * The few raw `node:http` helpers the fake needs. No framework on purpose: the benchmark compares the gateway
 * with direct calls to this server, so every microsecond spent here would be charged to the gateway's overhead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { FakeHttpError, UnreadableBodyError } from './fake-http-error.js';

/** Far above any realistic request (OpenAI's own limits are lower), low enough that a runaway client cannot OOM us. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Reads the whole request body; rejects with an UnreadableBodyError ('too_large') past MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop buffering but keep draining, so the 413 can still be written on this socket.
        req.removeAllListeners('data');
        req.resume();
        reject(new UnreadableBodyError('too_large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** `undefined` for an empty body; an UnreadableBodyError ('invalid_json') for a body that is not JSON. */
export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new UnreadableBodyError('invalid_json');
  }
}

/** Writes a complete JSON answer with Content-Length, so keep-alive connections need no chunked framing. */
export function sendJson(
  res: ServerResponse,
  status: number,
  json: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

export function sendError(res: ServerResponse, error: FakeHttpError): void {
  sendJson(res, error.status, JSON.stringify(error.body), error.headers);
}

/** Waits `ms`; resolves false instead of throwing when the request went away meanwhile (nothing left to do). */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !signal.aborted;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
