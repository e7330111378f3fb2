import { Inject, Injectable } from '@nestjs/common';
import { RouterSubjects, type PickedChannel } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { NATS_BUS } from '../tokens.js';

/** How one upstream call ended, as the edge saw it. */
export interface AttemptReport {
  channel: PickedChannel;
  model: string;
  /** The upstream's HTTP status, or 0 when there was none to trust (connection failure, timeout, body broken off). */
  status: number;
  latencyMs: number;
  /** From the upstream's Retry-After; absent = none. */
  retryAfterSeconds?: number | null;
  /** The OpenAI error code of the upstream's error body; absent = none. */
  errorCode?: string | null;
  timedOut?: boolean;
}

/**
 * Tells the router how an upstream call went, as an `UpstreamOutcome` event:
 * its cooldowns and circuit breakers are driven by these. Fire and forget —
 * the request never waits for the router.
 */
@Injectable()
export class OutcomeReporter {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  report(report: AttemptReport): void {
    const { channel, status } = report;
    // A success on a channel without health history changes nothing in the router (see PickedChannel.reportSuccess).
    if (status >= 200 && status < 300 && !channel.reportSuccess) return;
    this.bus.emit(RouterSubjects.outcome, {
      channelId: channel.channelId,
      model: report.model,
      status,
      latencyMs: report.latencyMs,
      retryAfterSeconds: report.retryAfterSeconds ?? null,
      errorCode: report.errorCode ?? null,
      timedOut: report.timedOut ?? false,
    });
  }
}
