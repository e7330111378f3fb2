import type { Denial } from './denial-reason.js';
import { DOCUMENTED_ERRORS, type OpenAiErrorType } from './documented-errors.js';

/** The OpenAI error shape, with the trace id support staff search the logs for. */
export interface ErrorBody {
  error: {
    message: string;
    type: OpenAiErrorType;
    param: string | null;
    code: string | null;
    tid: string;
  };
}

export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

/** Turns a denial into the documented HTTP status, headers and body. */
export function renderDenial(denial: Denial, tid: string): RenderedError {
  const row = DOCUMENTED_ERRORS[denial.reason];
  const params = denial.params ?? {};
  const headers: Record<string, string> = { ...params.headers };
  if (params.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(Math.max(0, Math.ceil(params.retryAfterSeconds)));
  }
  return {
    status: row.status,
    headers,
    body: {
      error: {
        message: row.message(params),
        type: row.type,
        param: params.param ?? null,
        code: row.code,
        tid,
      },
    },
  };
}
