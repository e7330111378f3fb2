import { Inject, Injectable } from '@nestjs/common';
import {
  ok,
  type AcquireGrantRequest,
  type GrantAnswer,
  type GrantView,
  type Reply,
  type ReturnGrantsRequest,
  type ReturnGrantsResult,
} from '@tollgate/contracts';
import { noteDecision } from '@tollgate/nats';
import { toDecimalTokenPrices, type UnitPrices } from '@tollgate/pricing';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { keyModelScope, userScope } from '../limits/rate-limit.js';
import { PriceBook } from '../pricing/price-book.js';
import { AdmissionStreamPosition } from './admission-stream-position.js';
import { GrantsRepository } from './grants.repository.js';

/** A model with no price gets no grant; its requests are refused per request (model_price_missing). */
const UNPRICED_RETRY_MS = 60_000;

/**
 * Credit grants (docs/design/credit-grants.md): what an edge may admit in
 * memory for one key and model — a lien on the user's balance and the key's
 * budget, and a count in both rate windows, in one transaction
 * (billing.acquire_grants) — and its return.
 */
@Injectable()
export class GrantsService {
  constructor(
    private readonly book: PriceBook,
    private readonly grants: GrantsRepository,
    private readonly position: AdmissionStreamPosition,
    @Inject(BILLING_CONFIG)
    private readonly config: Pick<
      BillingConfig,
      'DEFAULT_KEY_RPM' | 'DEFAULT_USER_RPM' | 'GRANT_VALIDITY_MS' | 'GRANT_SHARE_DIVISOR' | 'GRANT_FALLBACK_REQUESTS'
    >,
  ) {}

  /** The grant given or declined, told on the request's log line (noteDecision). */
  async acquire(request: AcquireGrantRequest): Promise<GrantAnswer> {
    const answer = await this.decide(request);
    const decision = { grantId: request.grantId, keyId: request.keyId, model: request.model };
    return answer.granted
      ? noteDecision(answer, 'grant given', {
          ...decision,
          moneyMicros: answer.granted.moneyMicros,
          requests: answer.granted.requests,
        })
      : noteDecision(answer, 'grant declined', { ...decision, declined: answer.declined });
  }

  private async decide(request: AcquireGrantRequest): Promise<GrantAnswer> {
    const [price, multiplierBp] = await Promise.all([
      this.book.price(request.model),
      this.book.multiplierBp(request.group),
    ]);
    if (!price) return { granted: null, declined: 'unpriced', retryAfterMs: UNPRICED_RETRY_MS };
    // Grants never cover images or audio: the edge admits those per request, priced for their size.
    const prices: UnitPrices = {
      inputPerMillionMicros: price.inputPerMillionMicros,
      outputPerMillionMicros: price.outputPerMillionMicros,
      charactersPerMillionMicros: price.charactersPerMillionMicros,
      cachedInputPerMillionMicros: price.cachedInputPerMillionMicros,
      cacheWritePerMillionMicros: price.cacheWritePerMillionMicros,
      reasoningPerMillionMicros: price.reasoningPerMillionMicros,
      imageMicros: null,
      audioPerMinuteMicros: null,
    };
    const userId = request.userId.toLowerCase();
    const keyId = request.keyId.toLowerCase();
    const grantId = request.grantId.toLowerCase();
    const outcome = await this.grants.acquire({
      grantId,
      edgeId: request.edgeId.toLowerCase(),
      userId,
      keyId,
      model: request.model,
      group: request.group,
      keyScope: keyModelScope(keyId, request.model),
      keyRpm: request.rpmLimit ?? this.config.DEFAULT_KEY_RPM,
      userScope: userScope(userId),
      userRpm: this.config.DEFAULT_USER_RPM,
      keyBudgetMicros: request.budgetMicros === null ? null : BigInt(request.budgetMicros),
      wantMicros: BigInt(request.wantMicros),
      unitMicros: BigInt(request.unitMicros),
      wantRequests: request.wantRequests,
      prices,
      multiplierBp,
      validityMs: this.config.GRANT_VALIDITY_MS,
      shareDivisor: this.config.GRANT_SHARE_DIVISOR,
      fallbackRequests: this.config.GRANT_FALLBACK_REQUESTS,
    });
    if (outcome.outcome !== 'granted') {
      // Few left: ask again when the window turns (a new count) or a grant's validity has passed (others returned).
      const windowEndsInMs = 'windowEndsInMs' in outcome ? outcome.windowEndsInMs : this.config.GRANT_VALIDITY_MS;
      const retryAfterMs = Math.min(windowEndsInMs, this.config.GRANT_VALIDITY_MS);
      return { granted: null, declined: outcome.outcome, retryAfterMs };
    }
    return {
      granted: {
        grantId,
        moneyMicros: outcome.moneyMicros.toString(),
        requests: outcome.requests,
        quote: { ...toDecimalTokenPrices(prices), multiplierBp },
        keyLimit: outcome.keyLimit,
        keyCountBefore: outcome.keyCountBefore,
        validForMs: outcome.validForMs,
        windowEndsInMs: outcome.windowEndsInMs,
      },
      declined: null,
      retryAfterMs: 0,
    };
  }

  /**
   * The stream's last sequence is read first: the edge returns a grant only
   * once every append it made on it was acknowledged, so each of its records
   * is at or below that sequence, and the grant may close once the consumer
   * has recorded up to there.
   */
  async returnGrants(request: ReturnGrantsRequest): Promise<ReturnGrantsResult> {
    const drainSeq = await this.position.lastSeq();
    const outcomes = await this.grants.returnGrants(
      request.returns.map((item) => ({
        grantId: item.grantId.toLowerCase(),
        edgeId: request.edgeId.toLowerCase(),
        admittedMicros: BigInt(item.admittedMicros),
        admissions: item.admissions,
        reason: item.reason,
      })),
      drainSeq,
    );
    const results = request.returns.map((item, index) => ({ grantId: item.grantId, outcome: outcomes[index] }));
    // At most LIMITS.grantReturns ids: an edge returns its grants a few at a time (idle, renewed), or all at shutdown.
    return noteDecision({ results }, 'grants returned', { edgeId: request.edgeId, grants: results });
  }

  /** Admission records not yet recorded as holds; null when JetStream does not answer (reconcile still does). */
  async pendingAdmissions(): Promise<number | null> {
    try {
      return await this.position.pending();
    } catch {
      return null;
    }
  }

  async list(userId: string): Promise<Reply<GrantView[]>> {
    const rows = await this.grants.liveGrants(userId.toLowerCase());
    return ok(
      rows.map((row) => ({
        grantId: row.grantId,
        edgeId: row.edgeId,
        userId: row.userId,
        keyId: row.keyId,
        model: row.model,
        status: row.status,
        moneyMicros: row.moneyAmountMicros.toString(),
        drawnMicros: row.moneyDrawnMicros.toString(),
        unusedMicros: (row.moneyAmountMicros - row.moneyDrawnMicros).toString(),
        requests: row.requestsAmount,
        drawnRequests: row.requestsDrawn,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
      })),
    );
  }
}
