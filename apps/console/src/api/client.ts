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
 * anywhere else), JSON both ways, the CSRF header on every write. Resolves
 * to the parsed body (undefined for 204); rejects with an ApiError carrying
 * the documented message, code and tid.
 */
export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
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
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => call<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => call<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => call<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => call<T>('DELETE', path),
};
