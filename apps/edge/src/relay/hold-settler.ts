import { Injectable } from '@nestjs/common';
import { NO_USAGE, type AdmissionRecord, type Principal } from '@tollgate/contracts';
import { currentTraceparent } from '@tollgate/observability';
import { SettlementPublisher } from '../settlement/settlement.publisher.js';
import type { RelayOutcome } from './relay-exchange.js';

export interface HoldSettlement {
  holdId: string;
  tid: string;
  principal: Principal;
  model: string;
  outcome: RelayOutcome;
  /** The whole request, from its arrival. */
  latencyMs: number;
  stream: boolean;
  /** Admitted from a credit grant: billing records the hold from this if the record has not arrived yet. */
  admission?: AdmissionRecord;
}

export interface HoldRelease {
  holdId: string;
  tid: string;
  principal: Principal;
  model: string;
  /** The status the client was refused with. */
  httpStatus: number;
  admission?: AdmissionRecord;
}

/**
 * Closes a request's billing hold through the SettlementPublisher: billing
 * charges what the request delivered, and returns the rest of the hold.
 */
@Injectable()
export class HoldSettler {
  constructor(private readonly settlements: SettlementPublisher) {}

  /** Once per admitted request, however it ended: a request that delivered nothing (usage null) is released in full. */
  settle({ holdId, tid, principal, model, outcome, latencyMs, stream, admission }: HoldSettlement): void {
    const traceparent = currentTraceparent();
    this.settlements.publish({
      holdId,
      tid,
      ...(traceparent ? { traceparent } : {}),
      userId: principal.userId,
      keyId: principal.keyId,
      model,
      channelId: outcome.channelId,
      succeeded: outcome.usage !== null,
      usage: outcome.usage ?? NO_USAGE,
      httpStatus: outcome.status,
      latencyMs,
      stream,
      ...(admission ? { admission } : {}),
    });
  }

  /**
   * A hold for a request that was refused after billing was asked: billing
   * returns all of it (applied once the hold exists, see SettlementConsumer).
   */
  release({ httpStatus, ...hold }: HoldRelease): void {
    this.settle({
      ...hold,
      outcome: { status: httpStatus, usage: null, channelId: null },
      latencyMs: 0,
      stream: false,
    });
  }
}
