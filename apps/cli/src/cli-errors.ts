/**
 * Exit codes are part of the CLI's contract with scripts: 0 = done,
 * 1 = the server refused or failed (or the result is a failure, e.g. a batch
 * that was not applied), 2 = the command line itself is wrong and nothing was sent.
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad input caught before anything is sent to the server. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The fields of the API's documented error body, `{ error: { message, type, param, code, tid } }`. */
export interface ApiErrorDetails {
  status: number;
  message: string;
  type: string | null;
  param: string | null;
  code: string | null;
  tid: string | null;
}

/** The admin API answered with an error status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(readonly details: ApiErrorDetails) {
    super(details.message);
  }
}

/** The admin API could not be reached (refused, DNS, timeout) or answered with something that is not its API. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

/** The text written to stderr for an error the CLI expects; null for anything else (a bug, which keeps its stack). */
export function describeError(error: unknown): { text: string; exitCode: ExitCode } | null {
  if (error instanceof UsageError) return { text: `error: ${error.message}`, exitCode: ExitCode.Usage };
  if (error instanceof ConnectionError) return { text: `error: ${error.message}`, exitCode: ExitCode.Failure };
  if (error instanceof ApiError) {
    const { status, code, param, tid } = error.details;
    const facts = [
      `status ${status}`,
      code ? `code ${code}` : null,
      param ? `param ${param}` : null,
      // Support staff search the logs by tid, so it is always shown when the server sent one.
      tid ? `tid ${tid}` : null,
    ].filter((fact): fact is string => fact !== null);
    return { text: `error: ${error.message}\n  (${facts.join(', ')})`, exitCode: ExitCode.Failure };
  }
  return null;
}

/** The message of anything thrown, read by shape: errors from Node's core may come from another realm than `Error`. */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
