import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { EdgeConfig } from '../edge.config.js';
import { EDGE_CONFIG } from '../tokens.js';

/** The reason a stream's upstream call is aborted with at the shutdown deadline; recognisable in logs. */
export class ShutdownDeadlineError extends Error {
  constructor(deadlineMs: number) {
    super(`the edge is stopping and streams may run ${deadlineMs} ms at most`);
    this.name = 'ShutdownDeadlineError';
  }
}

/**
 * How long the streams being relayed may run once the edge is told to stop.
 * On SIGTERM Nest calls beforeApplicationShutdown, then closes the HTTP
 * server, which waits for every response: a long answer held the stop for
 * as long as it ran, until whoever sent SIGTERM killed the edge with
 * nothing settled. At SHUTDOWN_STREAM_DEADLINE_MS the streams still running
 * end with an in-band error (stream-relay.ts), are charged for what they
 * delivered, and the settlements go out before the NATS connection closes.
 */
@Injectable()
export class ShutdownDeadline implements BeforeApplicationShutdown {
  private readonly controller = new AbortController();

  constructor(@Inject(EDGE_CONFIG) private readonly config: Pick<EdgeConfig, 'SHUTDOWN_STREAM_DEADLINE_MS'>) {}

  /** Fires SHUTDOWN_STREAM_DEADLINE_MS after the stop began. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  beforeApplicationShutdown(): void {
    const deadlineMs = this.config.SHUTDOWN_STREAM_DEADLINE_MS;
    // Unref'd: once the last response has ended nothing waits for the deadline.
    setTimeout(() => this.controller.abort(new ShutdownDeadlineError(deadlineMs)), deadlineMs).unref();
  }
}
