/**
 * A refusal or failure of an admin API call, as the user should see it: the
 * documented message, its code, and the trace id support looks up in the logs.
 */
export class ApiError extends Error {
  constructor(
    /** The HTTP status; 0 when no answer came (the network, or the edge is down). */
    readonly status: number,
    message: string,
    /** The documented error's code (`invalid_api_key`, …); null when the answer was not one. */
    readonly code: string | null,
    /** The X-Tid of the answer; null when there was no answer. */
    readonly tid: string | null,
    /** The input the refusal names (the envelope's `param`: `email`, `allowed_ip_ranges`); null when none. */
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorEnvelope {
  error?: { message?: unknown; code?: unknown; tid?: unknown; param?: unknown };
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * The ApiError of a response that is not ok. The edge answers every refusal
 * in OpenAI's envelope with the tid in the X-Tid header (and in the body);
 * anything else (a proxy's HTML page, say) still gets a message naming the status.
 */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  let body: ErrorEnvelope | null = null;
  try {
    body = (await response.json()) as ErrorEnvelope;
  } catch {
    // Not JSON: the message below says what came back instead.
  }
  const tid = text(response.headers.get('x-tid')) ?? text(body?.error?.tid);
  const message =
    text(body?.error?.message) ??
    `The gateway answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} without an error message.`;
  return new ApiError(response.status, message, text(body?.error?.code), tid, text(body?.error?.param));
}

/**
 * The refusal's message when it names the field `name` (or an item of it,
 * `allowed_models[2]`), for the form to show under that field and mark it
 * invalid; null otherwise. The form's alert still shows it with the tid.
 */
export function refusalFor(error: unknown, name: string): string | null {
  if (!(error instanceof ApiError) || error.param === null) return null;
  const { param } = error;
  return param === name || param.startsWith(`${name}[`) || param.startsWith(`${name}.`) ? error.message : null;
}
