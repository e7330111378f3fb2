import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  AuthSubjects,
  BillingSubjects,
  LIMITS,
  type AdmissionRecord,
  type GrantAnswer,
  type GrantReturn,
  type Hold,
  type Principal,
  type UsageEstimate,
} from '@tollgate/contracts';
import { ServiceUnavailableError, type NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { fromDecimalTokenPrices, heldMicros, type UnitPrices } from '@tollgate/pricing';
import { PeriodicTask } from '@tollgate/service';
import type { EdgeConfig } from '../edge.config.js';
import { EDGE_CONFIG, LOGGER, NATS_BUS } from '../tokens.js';
import { AdmissionJournal } from './admission-journal.js';
import { EDGE_ID } from './edge-identity.js';
import { GrantBook, type GrantedSlice } from './grant-book.js';

/** The prices a grant was quoted at, ready for heldMicros. */
export interface SliceQuote {
  prices: UnitPrices;
  multiplierBp: number;
}

/** A request admitted from a grant: its hold (id = the admission id) and the record billing makes it from. */
export interface GrantAdmission {
  hold: Hold;
  admission: AdmissionRecord;
}

/** The clock slices are timed by (performance.now); specs inject their own. */
export const GRANTS_CLOCK = Symbol('GRANTS_CLOCK');

const MAINTENANCE_INTERVAL_MS = 250;

/**
 * The edge's side of credit grants (docs/design/credit-grants.md): asks
 * billing for a slice of what a busy key may spend, admits that key's
 * requests against it in memory (GrantBook: synchronous, all or nothing),
 * makes each admission durable in JetStream before the upstream is called
 * (AdmissionJournal), and gives the slices back — when idle, replaced,
 * reclaimed by billing, invalidated by auth, at shutdown.
 *
 * Memory never refuses: a request no slice covers goes through billing's
 * per-request reserve, which gives every documented refusal as before.
 */
@Injectable()
export class EdgeGrants implements OnModuleInit, OnModuleDestroy {
  private readonly book: GrantBook<SliceQuote>;
  /** The latest principal seen per key: what a renewal asks with. */
  private readonly principals = new Map<string, Principal>();
  /** Returns billing did not answer: sent again with the next ones. */
  private unsent: GrantReturn[] = [];
  private returning: Promise<void> | null = null;
  private returnAgain = false;
  private readonly task: PeriodicTask;

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    private readonly journal: AdmissionJournal,
    @Inject(EDGE_ID) private readonly edgeId: string,
    @Inject(EDGE_CONFIG)
    private readonly config: Pick<
      EdgeConfig,
      | 'GRANTS_ENABLED'
      | 'GRANT_HORIZON_MS'
      | 'GRANT_MIN_REQUESTS'
      | 'GRANT_IDLE_MS'
      | 'ADMISSION_APPEND_TIMEOUT_MS'
      | 'ADMISSION_SUBJECT'
    >,
    @Inject(LOGGER) private readonly logger: Logger,
    // Injected by specs only; nothing provides this token in the service.
    @Optional() @Inject(GRANTS_CLOCK) private readonly clock: () => number = () => performance.now(),
  ) {
    this.book = new GrantBook<SliceQuote>({
      clock: this.clock,
      idleMs: config.GRANT_IDLE_MS,
      horizonMs: config.GRANT_HORIZON_MS,
      minRequests: config.GRANT_MIN_REQUESTS,
    });
    this.task = new PeriodicTask(
      () => this.maintain(),
      MAINTENANCE_INTERVAL_MS,
      (error) => this.logger.warn({ err: error }, 'grant maintenance failed; will retry'),
    );
  }

  onModuleInit(): void {
    if (!this.config.GRANTS_ENABLED) return;
    this.bus.onBroadcast(BillingSubjects.grantsReclaim, ({ grantIds, userIds, keyIds }) =>
      this.closeNow({ grantIds, userIds, keyIds }, 'reclaimed'),
    );
    // A key revoked or changed, a user suspended or moved to another group: its slices stop at once.
    this.bus.onBroadcast(AuthSubjects.invalidated, ({ keyIds, userIds }) => {
      for (const keyId of keyIds ?? []) this.principals.delete(keyId);
      for (const [keyId, principal] of this.principals) {
        if (userIds?.includes(principal.userId)) this.principals.delete(keyId);
      }
      this.closeNow({ keyIds, userIds }, 'invalidated');
    });
    // Slices are quoted at the prices of their grant: a price change ends them, the next grant has the new ones.
    this.bus.onBroadcast(BillingSubjects.pricesChanged, ({ models, groups }) => {
      if ((groups ?? []).length > 0) this.book.closeAll('reclaimed');
      else this.book.close({ models }, 'reclaimed');
      void this.sendReturns();
    });
    // After the HTTP server has finished its last requests: nothing is admitted any more.
    this.bus.onClosing(() => this.returnAll());
    this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** Whether a request could be admitted in memory: a live slice for its key and model, no image or audio. */
  mayCover(principal: Principal, model: string, estimate: UsageEstimate): boolean {
    if (!this.config.GRANTS_ENABLED || estimate.images > 0 || (estimate.audioSeconds ?? 0) > 0) return false;
    return this.book.slice(principal.keyId, model) !== null;
  }

  /**
   * Admits from the key's slice, or answers null (the caller reserves per
   * request). Resolves only once the admission record is stored: a request
   * is never served on an admission a crash could forget. Throws
   * ServiceUnavailableError (the documented 503) when JetStream did not say
   * whether it stored the record.
   */
  async admit(
    principal: Principal,
    model: string,
    estimate: UsageEstimate,
    tid: string,
    release: (admission: AdmissionRecord) => void,
  ): Promise<GrantAdmission | null> {
    const slice = this.book.slice(principal.keyId, model);
    if (!slice) return null;
    // Field by field, not spread: this runs for every admitted request (see heldMicros).
    const amount = heldMicros(
      slice.quote.prices,
      {
        inputTokens: estimate.inputTokens,
        outputTokens: estimate.outputTokens,
        characters: estimate.characters,
        images: 0,
        audioSeconds: 0,
      },
      slice.quote.multiplierBp,
    );
    const taken = this.book.take(slice, amount);
    if (!taken) return null;
    this.principals.set(principal.keyId, principal);
    const admission: AdmissionRecord = {
      admissionId: randomUUID(),
      grantId: taken.grantId,
      edgeId: this.edgeId,
      tid,
      userId: principal.userId,
      keyId: principal.keyId,
      model,
      amountMicros: amount.toString(),
      admittedAt: new Date().toISOString(),
    };
    const result = await this.journal.append(admission);
    if (result === 'refused') this.book.untake(taken);
    this.book.appendSettled(taken);
    if (result === 'unknown') {
      // Stored perhaps: billing records it and releases it in full, once. As when a reserve's answer is lost,
      // the request is answered 503 rather than reserved again, so one request never has two holds.
      release(admission);
      throw new ServiceUnavailableError(this.config.ADMISSION_SUBJECT, 'JetStream did not acknowledge the admission');
    }
    if (result === 'refused') return null;
    return {
      hold: {
        holdId: admission.admissionId,
        amountMicros: admission.amountMicros,
        rateLimit: this.book.rateLimit(taken),
      },
      admission,
    };
  }

  /** A request of this key was reserved per request: a key busy enough gets a grant for the next ones. */
  reserved(principal: Principal, model: string, hold: Hold, estimate: UsageEstimate): void {
    if (!this.config.GRANTS_ENABLED || estimate.images > 0 || (estimate.audioSeconds ?? 0) > 0) return;
    this.principals.set(principal.keyId, principal);
    if (this.book.noteDemand(principal.keyId, model, principal.userId, BigInt(hold.amountMicros))) {
      void this.acquire(principal, model);
    }
  }

  /** Slices live and closing, for the metrics. */
  get size(): { live: number; closing: number } {
    return this.book.size;
  }

  /** Asks billing for a slice of the key's spending for this model (single flight per key and model). */
  private async acquire(principal: Principal, model: string): Promise<void> {
    const { keyId } = principal;
    if (!this.book.beginAcquire(keyId, model)) return;
    const grantId = randomUUID();
    const want = this.book.want(keyId, model);
    const sentAt = this.clock();
    let answer: GrantAnswer;
    try {
      answer = await this.bus.request(BillingSubjects.acquireGrant, {
        grantId,
        edgeId: this.edgeId,
        userId: principal.userId,
        keyId,
        keySuffix: principal.keySuffix,
        group: principal.group,
        model,
        rpmLimit: principal.rpmLimit,
        budgetMicros: principal.budgetMicros,
        wantRequests: want.wantRequests,
        wantMicros: want.wantMicros.toString(),
        unitMicros: want.unitMicros.toString(),
      });
    } catch (error) {
      // Granted perhaps, with the answer lost: give it back by id (billing closes it if it exists).
      this.book.endAcquire(keyId, model, null, sentAt);
      this.unsent.push({ grantId, admittedMicros: '0', admissions: 0, reason: 'lost_reply' });
      this.logger.warn({ err: error, keyId, model }, 'grant request failed; admitting per request');
      return;
    }
    const { granted } = answer;
    if (!granted) {
      this.book.endAcquire(keyId, model, null, sentAt);
      this.book.declined(keyId, model, answer.retryAfterMs);
      return;
    }
    const slice: GrantedSlice<SliceQuote> = {
      grantId: granted.grantId,
      userId: principal.userId,
      keyId,
      model,
      moneyMicros: BigInt(granted.moneyMicros),
      requests: granted.requests,
      quote: quoteOf(granted.quote),
      keyLimit: granted.keyLimit,
      keyCountBefore: granted.keyCountBefore,
      validForMs: granted.validForMs,
      windowEndsInMs: granted.windowEndsInMs,
    };
    this.book.endAcquire(keyId, model, slice, sentAt);
    // A key invalidated while the request was out: the slice must not outlive the principal it was asked with.
    if (!this.principals.has(keyId)) this.closeNow({ grantIds: [granted.grantId] }, 'invalidated');
  }

  private closeNow(match: Parameters<GrantBook<SliceQuote>['close']>[0], reason: GrantReturn['reason']): void {
    if (this.book.close(match, reason) > 0) void this.sendReturns();
  }

  private async maintain(): Promise<void> {
    for (const { keyId, model } of this.book.tick()) {
      const principal = this.principals.get(keyId);
      if (principal) void this.acquire(principal, model);
    }
    await this.sendReturns();
  }

  /**
   * Hands billing every slice closed with no append in flight; one send at a
   * time. A slice closed while a send is out goes in another send right after
   * it, not at the next maintenance tick: billing may be waiting for it
   * (GRANT_RECLAIM_WAIT_MS) before it refuses a request.
   */
  private sendReturns(): Promise<void> {
    if (this.returning) {
      this.returnAgain = true;
      return this.returning;
    }
    this.returning = (async () => {
      do {
        this.returnAgain = false;
        await this.sendReturnsNow();
      } while (this.returnAgain);
    })().finally(() => {
      this.returning = null;
    });
    return this.returning;
  }

  private async sendReturnsNow(): Promise<void> {
    const returns = [
      ...this.unsent,
      ...this.book.drainReturns().map((item): GrantReturn => ({
        grantId: item.grantId,
        admittedMicros: item.admittedMicros.toString(),
        admissions: item.admissions,
        reason: item.reason,
      })),
    ];
    this.unsent = [];
    for (let start = 0; start < returns.length; start += LIMITS.grantReturns) {
      const part = returns.slice(start, start + LIMITS.grantReturns);
      try {
        await this.bus.request(BillingSubjects.returnGrants, { edgeId: this.edgeId, returns: part });
      } catch (error) {
        // Kept, and sent again: until billing has them, their liens keep the money from others (never overspent).
        this.unsent.push(...part);
        this.logger.warn({ err: error, grants: part.length }, 'grant return failed; will retry');
      }
    }
  }

  /** At shutdown: every slice closes, its appends finish, and all go back to billing. */
  private async returnAll(): Promise<void> {
    this.book.closeAll('shutdown');
    const until = this.clock() + this.config.ADMISSION_APPEND_TIMEOUT_MS;
    while (this.book.size.closing > 0 && this.clock() < until) {
      await this.sendReturns();
      if (this.book.size.closing > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await this.sendReturns();
  }
}

function quoteOf({ multiplierBp, ...prices }: NonNullable<GrantAnswer['granted']>['quote']): SliceQuote {
  return { prices: fromDecimalTokenPrices(prices), multiplierBp };
}
