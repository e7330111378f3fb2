import { RouterSubjects, type PickedChannel, type UpstreamOutcome } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { currentTraceparent, TraceContext } from '@tollgate/observability';
import type { EdgeRoutingTable } from '../routing/edge-routing-table.js';
import { edgeMetrics } from '../metrics/edge-metrics.js';

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

/** Most outcomes one batch carries; a fuller batch is sent at once. */
const MAX_BATCH = 256;

/**
 * Tells the router how upstream calls went, and which half-open probes this
 * edge handed out: its cooldowns and circuit breakers are driven by these.
 * Fire and forget — the request never waits for the router. Outcomes of the
 * last `lingerMs` go as one `outcomes` event (0: each at once); a probe goes
 * at once with whatever is waiting, since the other edges must hear of it
 * before they take one too. What waits at shutdown is sent before the NATS
 * connection closes.
 *
 * With a routing table at this edge, each outcome is first applied to the
 * edge's own copy of the channel's health (EdgeRoutingTable.applyOwn).
 * Each outcome carries its request's tid; the event carries none.
 */
export class OutcomeReporter {
  private outcomes: UpstreamOutcome[] = [];
  private probes: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: NatsBus,
    private readonly routing: EdgeRoutingTable | null = null,
    private readonly lingerMs = 0,
  ) {
    bus.onClosing(async () => this.flush());
  }

  report(report: AttemptReport): void {
    const { channel, status } = report;
    edgeMetrics.upstreamCall(channel.channelId, status, report.latencyMs);
    // A success on a channel without health history changes nothing, here or in the router (see
    // PickedChannel.reportSuccess): the common case, so it costs nothing more.
    if (status >= 200 && status < 300 && !channel.reportSuccess) return;
    let outcome: UpstreamOutcome = {
      channelId: channel.channelId,
      model: report.model,
      status,
      latencyMs: report.latencyMs,
      retryAfterSeconds: report.retryAfterSeconds ?? null,
      errorCode: report.errorCode ?? null,
      timedOut: report.timedOut ?? false,
    };
    // Each outcome names its own request: the batch it goes in names none (see flush).
    const tid = TraceContext.tid();
    if (tid) outcome.tid = tid;
    const traceparent = currentTraceparent();
    if (traceparent) outcome.traceparent = traceparent;
    if (this.routing) outcome = this.routing.applyOwn(outcome);
    this.outcomes.push(outcome);
    this.schedule();
  }

  /** This edge sent the one probe of a half-open channel. */
  probeTaken(channelId: number): void {
    this.probes.push(channelId);
    this.flush();
  }

  /** Sends what waits, in one event. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.outcomes.length === 0 && this.probes.length === 0) return;
    const batch = { outcomes: this.outcomes, probes: this.probes };
    this.outcomes = [];
    this.probes = [];
    // Outside any request's trace context: the timer or request that flushes would otherwise lend its
    // tid to the whole batch, and the router would log every outcome in it under that one request.
    TraceContext.outside(() => this.bus.emit(RouterSubjects.outcomes, batch));
  }

  private schedule(): void {
    if (this.lingerMs === 0 || this.outcomes.length >= MAX_BATCH) {
      this.flush();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.lingerMs);
    this.timer.unref();
  }
}
