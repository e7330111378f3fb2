/**
 * A dialect is one provider's way of speaking: which URLs it serves, where its key travels, what it refuses
 * before reading the body, and the shape of its errors. The server asks each request's dialect these
 * questions; the endpoint handlers do the rest. One fake instance speaks all of them at once, so an e2e
 * suite can point channels of every type at it and check from the request log that each got its own dialect.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeHttpError } from './fake-http-error.js';
import type { FakeHandler } from './request-context.js';

export type DialectName = 'openai' | 'azure' | 'anthropic' | 'gemini';

/** The request as a dialect sees it before the body matters. */
export interface IncomingCall {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

/** Where the request's key was: a header (`authorization`, `x-api-key`, …) or Gemini's `?key=` query. */
export interface RecordedAuth {
  readonly in: 'header' | 'query';
  readonly name: string;
  /** The header or query value exactly as sent (`Bearer sk-…` for OpenAI). */
  readonly value: string;
  /** The key itself (the value without a `Bearer ` prefix). */
  readonly key: string;
}

export interface DialectRoute {
  readonly handler: FakeHandler;
  /** Inference calls consume the one-shot queue; metadata calls (model listing, token counting) do not. */
  readonly inference: boolean;
  /** The model the URL names (Gemini's path, Azure's deployment); otherwise the body's `model` is used. */
  readonly model?: string;
}

/** The errors the server itself raises, worded and shaped the dialect's way. */
export interface DialectErrors {
  notFound(method: string, path: string): FakeHttpError;
  unreadableBody(reason: 'too_large' | 'invalid_json'): FakeHttpError;
  invalidRequest(message: string): FakeHttpError;
  /** A control that does not parse (a bad `x-fake-*` header): a 400, never silently ignored. */
  invalidControl(message: string): FakeHttpError;
  /** What the `status` control (with `errorCode`, `retryAfter`) makes the request fail with. */
  forced(status: number, errorCode: string | undefined, retryAfterSeconds: number | undefined): FakeHttpError;
  internal(message: string): FakeHttpError;
}

export interface Dialect {
  readonly name: DialectName;
  route(call: IncomingCall): DialectRoute | undefined;
  credential(call: IncomingCall): RecordedAuth | undefined;
  /**
   * Throws what the real API answers before it looks at the body: no key, a key not in `apiKeys` (when the
   * instance was given any), a missing version header or query parameter.
   */
  admit(call: IncomingCall, credential: RecordedAuth | undefined, apiKeys: ReadonlySet<string> | undefined): void;
  readonly errors: DialectErrors;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A key carried as-is in a header (`x-api-key`, `api-key`, `x-goog-api-key`); empty counts as absent. */
export function headerCredential(call: IncomingCall, name: string): RecordedAuth | undefined {
  const value = headerValue(call.headers, name);
  return value ? { in: 'header', name, value, key: value.trim() } : undefined;
}
