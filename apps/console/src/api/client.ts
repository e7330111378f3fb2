import { ApiError, apiErrorOf } from './api-error';

/** Every call goes to the admin API of the edge that served the console: the only server it talks to. */
const ADMIN_API = '/admin/v1';

/**
 * The session's CSRF token, in memory only: a reload reads it again from
 * GET /admin/v1/session. The session cookie itself is HttpOnly, out of reach
 * of any script; the token proves a write comes from this page, not from
 * another site riding on the cookie.
 */
let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};

/** Called when a call other than the session's own answers 401: the session ended (expired, signed out elsewhere). */
let onSessionEnded: ((error: ApiError) => void) | null = null;
export const whenSessionEnds = (listener: ((error: ApiError) => void) | null): void => {
  onSessionEnded = listener;
};

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface CallOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

const WRITES: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `/users` and `{limit: 50, cursor: undefined}` → `/admin/v1/users?limit=50` (unset values left out). */
export function adminUrl(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const qs = search.toString();
  return `${ADMIN_API}${path}${qs ? `?${qs}` : ''}`;
}

/**
 * One admin API call with the session cookie (`same-origin`: never sent
 * anywhere else), JSON body, the CSRF header on every write. Resolves to the
 * response when it is ok; rejects with an ApiError carrying the documented
 * message, code and tid.
 */
async function send(method: string, path: string, options: CallOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (WRITES.has(method) && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(adminUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The gateway did not answer: check the connection and try again.', null, null);
  }
  if (!response.ok) {
    const error = await apiErrorOf(response);
    if (response.status === 401 && path !== '/session') onSessionEnded?.(error);
    throw error;
  }
  return response;
}

/** A call answered in JSON: the parsed body (undefined for 204). */
export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const response = await send(method, path, options, 'application/json');
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A read answered in text (a CSV export): the text, and the headers that say what follows (X-Next-Cursor). */
async function getText(path: string, query?: Query, signal?: AbortSignal): Promise<{ text: string; headers: Headers }> {
  const response = await send('GET', path, { query, signal }, 'text/csv, application/json');
  return { text: await response.text(), headers: response.headers };
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => call<T>('GET', path, { query, signal }),
  getText,
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => call<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => call<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => call<T>('DELETE', path),
};
