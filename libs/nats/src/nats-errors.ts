/**
 * The service behind a subject did not answer: nobody subscribed (it is
 * stopped), it timed out, or the connection is down. The edge renders it as
 * the documented 503 instead of hanging.
 */
export class ServiceUnavailableError extends Error {
  constructor(
    readonly subject: string,
    cause: unknown,
  ) {
    super(`no answer on ${subject}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ServiceUnavailableError';
  }
}

/** The service answered with an exception (a failure, not a denial). */
export class RemoteFailureError extends Error {
  constructor(
    readonly subject: string,
    remoteMessage: string,
  ) {
    super(`${subject} failed: ${remoteMessage}`);
    this.name = 'RemoteFailureError';
  }
}
