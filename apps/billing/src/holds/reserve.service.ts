import { Inject, Injectable } from '@nestjs/common';
import { ok, refused, type Hold, type Reply, type ReserveRequest } from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { noteDecision } from '@tollgate/nats';
import { TraceContext } from '@tollgate/observability';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { GrantReclaimer } from '../grants/grant-reclaimer.js';
import { keyModelScope, tooManyRequests, userScope } from '../limits/rate-limit.js';
import { PriceBook } from '../pricing/price-book.js';
import { HoldsRepository, type ReserveOutcome } from './holds.repository.js';

/**
 * `reserve`, once per client request, on the request path: price the
 * estimate (in memory), then one database call that counts the request
 * against its rate limits and holds the estimated cost on the user's balance
 * and the key's budget — or refuses, changing nothing.
 *
 * A reserve that would be refused while edges hold unused credit grants of
 * the same user (or key) asks for them back, waits for them (bounded, see
 * GrantReclaimer) and tries once more: no request is refused for money or a
 * rate-window count that sits unused in another edge's slice.
 */
@Injectable()
export class ReserveService {
  constructor(
    private readonly book: PriceBook,
    private readonly holds: HoldsRepository,
    private readonly reclaimer: GrantReclaimer,
    @Inject(BILLING_CONFIG)
    private readonly config: Pick<
      BillingConfig,
      'DEFAULT_KEY_RPM' | 'DEFAULT_USER_RPM' | 'HOLD_TTL_MS' | 'RESERVE_SYNCHRONOUS_COMMIT' | 'NATS_REQUEST_TIMEOUT_MS'
    >,
  ) {}

  /**
   * The hold placed or refused, told on the reserve's log line (noteDecision): the hold id, the
   * model and the amount; a refusal's reason is the line's outcome.
   */
  async reserve(request: ReserveRequest): Promise<Reply<Hold>> {
    const reply = await this.decide(request);
    const decision = { holdId: request.holdId, model: request.model };
    return reply.ok
      ? noteDecision(reply, 'hold placed', { ...decision, amountMicros: reply.value.amountMicros })
      : noteDecision(reply, 'hold refused', decision);
  }

  private async decide(request: ReserveRequest): Promise<Reply<Hold>> {
    // The edge stopped waiting at most this long after it sent the request (the same setting on every
    // service): counted from receipt, the deadline is never earlier than the edge's.
    const deadline = Date.now() + this.config.NATS_REQUEST_TIMEOUT_MS;
    const keyBudgetMicros = request.budgetMicros === null ? null : BigInt(request.budgetMicros);

    // A model without a price is refused before anything is counted or held.
    const quote = await this.book.quote(request.model, request.group, request.estimate);
    if (!quote.ok) return quote;

    const keyRpm = request.rpmLimit ?? this.config.DEFAULT_KEY_RPM;
    // Lower case, as PostgreSQL returns uuids: one key is one rate-limit counter however it is spelled.
    const userId = request.userId.toLowerCase();
    const keyId = request.keyId.toLowerCase();
    const call = {
      holdId: request.holdId.toLowerCase(),
      userId,
      keyId,
      model: request.model,
      group: request.group,
      tid: TraceContext.tid() ?? null,
      actor: `key:${keyId}`,
      quote: quote.value,
      keyBudgetMicros,
      keyScope: keyModelScope(keyId, request.model),
      keyRpm,
      userScope: userScope(userId),
      userRpm: this.config.DEFAULT_USER_RPM,
      ttlMs: this.config.HOLD_TTL_MS,
      synchronousCommit: this.config.RESERVE_SYNCHRONOUS_COMMIT,
      deadline,
    };
    let result = await this.holds.reserve(call);
    const lienScope = reclaimScope(result, userId, keyId);
    if (lienScope && (await this.reclaimer.reclaimAndWait(lienScope, 'needed_elsewhere'))) {
      // The first try wrote nothing: the same hold id is still free.
      result = await this.holds.reserve(call);
    }

    switch (result.outcome) {
      case 'ok':
        return ok({
          holdId: result.holdId,
          amountMicros: quote.value.amountMicros.toString(),
          rateLimit: { limit: result.limit, remaining: result.remaining, resetSeconds: result.resetSeconds },
        });
      case 'key_rate_limited':
      case 'user_rate_limited':
        return refused(tooManyRequests(request.model, result.limit, result.resetSeconds));
      case 'insufficient_user_quota':
        return refused(deny(DenialReason.InsufficientUserQuota));
      case 'key_budget_exceeded':
        return refused(deny(DenialReason.KeyBudgetExceeded, { keySuffix: request.keySuffix }));
      case 'too_late':
        // Nothing was counted or held; the edge answered 503 already and reads no reply.
        return refused(deny(DenialReason.ServiceUnavailable));
    }
  }
}

/** Whose grants may hold what this refusal lacked: the user's money or count, or the key's budget or window. */
function reclaimScope(
  result: ReserveOutcome,
  userId: string,
  keyId: string,
): { userId: string; keyId?: string } | null {
  switch (result.outcome) {
    case 'insufficient_user_quota':
    case 'user_rate_limited':
      return { userId };
    case 'key_budget_exceeded':
    case 'key_rate_limited':
      return { userId, keyId };
    default:
      return null;
  }
}
