import { ApiError, ConnectionError, UsageError } from './cli-errors.js';

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface AdminClientOptions {
  /** The edge's origin, e.g. http://127.0.0.1:8080 (a path prefix of a reverse proxy is kept). */
  baseUrl: string;
  /** A key whose user has the admin, billing or root role. */
  key: string;
  /** Longer than the edge's longest admin route (a channel test waits up to 65 s for the upstream). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface TextResponse {
  text: string;
  headers: Headers;
}

const DEFAULT_TIMEOUT_MS = 90_000;

/**
 * An /admin/v1 path with every interpolated value URL-encoded, so an id such
 * as "../keys" or "a/b" stays one path segment and cannot reach another route.
 */
export function adminPath(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce(
    (path, text, index) => path + text + (index < values.length ? encodeURIComponent(String(values[index])) : ''),
    '',
  );
}

/** The server URL from --url or TOLLGATE_URL, checked before any request is made. */
export function parseBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`the server URL "${text}" is not a URL; expected e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`the server URL must start with http:// or https:// (got "${text}")`);
  }
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * The admin API over HTTP: bearer key, JSON in and out, and the API's
 * documented error body turned into an ApiError (message, code, tid), so every
 * command reports failures the same way.
 */
export class AdminClient {
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: AdminClientOptions) {
    this.base = parseBaseUrl(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchImpl = options.fetch ?? fetch;
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.json<T>('GET', path, query);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.json<T>('POST', path, {}, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PUT', path, {}, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PATCH', path, {}, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.json<T>('DELETE', path);
  }

  /** A non-JSON answer, e.g. the ledger's CSV export, with its headers (x-next-cursor). */
  async getText(path: string, query: Query = {}): Promise<TextResponse> {
    const response = await this.send('GET', path, query, undefined, 'text/csv, text/plain, application/json');
    return { text: await this.read(response), headers: response.headers };
  }

  /** The full URL of an admin path, for messages and tests. */
  url(path: string, query: Query = {}): URL {
    const url = new URL(this.base);
    // The base's own path (a reverse proxy's prefix) without its trailing slash; a bare origin's is "/".
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}/admin/v1/${path.replace(/^\/+/, '')}`;
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
    }
    return url;
  }

  private async json<T>(method: string, path: string, query: Query = {}, body?: unknown): Promise<T> {
    const response = await this.send(method, path, query, body, 'application/json');
    const text = await this.read(response);
    if (text === '') return null as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ConnectionError(
        `${this.base.origin} answered ${method} ${this.url(path).pathname} with something that is not JSON; ` +
          `is the server URL the Tollgate edge?`,
      );
    }
  }

  private async send(method: string, path: string, query: Query, body: unknown, accept: string): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, query), {
        method,
        headers: {
          authorization: `Bearer ${this.options.key}`,
          accept,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.unreachable(error);
    }
    if (!response.ok) throw apiErrorOf(response.status, response.statusText, await this.read(response), response);
    return response;
  }

  private async read(response: Response): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw this.unreachable(error);
    }
  }

  private unreachable(error: unknown): ConnectionError {
    return new ConnectionError(`could not reach the admin API at ${this.base.origin}: ${this.cause(error)}`);
  }

  /**
   * Read by shape rather than `instanceof Error`: fetch's errors may come from
   * another realm (a test sandbox) and still carry name, message and cause.
   */
  private cause(error: unknown): string {
    const failure = (error ?? {}) as {
      name?: unknown;
      message?: unknown;
      cause?: { code?: unknown; message?: unknown };
    };
    if (failure.name === 'TimeoutError' || failure.name === 'AbortError') {
      return `no answer within ${Math.round(this.timeoutMs / 1000)} s`;
    }
    // Node's fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND) in `cause`.
    if (typeof failure.cause?.code === 'string') return failure.cause.code;
    if (typeof failure.cause?.message === 'string') return failure.cause.message;
    return typeof failure.message === 'string' ? failure.message : String(error);
  }
}

const field = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The documented `{ error: { message, type, param, code, tid } }` body, or the best that can be said without it. */
export function apiErrorOf(
  status: number,
  statusText: string,
  text: string,
  response?: { headers: Headers },
): ApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const error = (parsed as { error?: unknown } | undefined)?.error;
  const headerTid = response?.headers.get('x-tid') ?? null;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    const body = error as Record<string, unknown>;
    return new ApiError({
      status,
      message: body.message as string,
      type: field(body.type),
      param: field(body.param),
      code: field(body.code),
      tid: field(body.tid) ?? headerTid,
    });
  }
  // Not our error body: a proxy page or another server. Show a short, single-line excerpt of it.
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return new ApiError({
    status,
    message: `HTTP ${status}${statusText ? ` ${statusText}` : ''}${excerpt ? `: ${excerpt}` : ''}`,
    type: null,
    param: null,
    code: null,
    tid: headerTid,
  });
}
