import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AdmissionRecord, Settlement, Usage } from '@tollgate/contracts';
import { inSpan, outsideTrace, runInTraceparent, SpanKind, type Logger } from '@tollgate/observability';
import { MicroBatcher } from '@tollgate/service';
import { costMicros, toDecimalTokenPrices, type UnitPrices } from '@tollgate/pricing';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { admissionItem } from '../grants/admission-item.js';
import { admissionJson, GrantsRepository, type GrantRow } from '../grants/grants.repository.js';
import type { SettleHoldOutcome } from '../sql/sql-outcomes.js';
import { LOGGER } from '../tokens.js';
import { chargedUsage } from './charged-usage.js';
import { billingMetrics } from '../metrics/billing-metrics.js';

/** What applying one settlement did. */
export type SettleOutcome =
  | { kind: 'settled'; chargedMicros: bigint; releasedMicros: bigint }
  | { kind: 'released'; releasedMicros: bigint }
  /** Settled, released or expired before: a duplicate, changes nothing. */
  | { kind: 'not_open'; status: string }
  /** No such hold: nothing to charge (logged; the message is acknowledged). */
  | { kind: 'unknown_hold' };

interface HoldRow {
  id: string;
  user_id: string;
  key_id: string;
  model: string;
  status: string;
  amount_micros: string;
  image_price_micros: string | null;
  input_per_million_micros: string;
  output_per_million_micros: string;
  characters_per_million_micros: string;
  cached_input_per_million_micros: string | null;
  cache_write_per_million_micros: string | null;
  reasoning_per_million_micros: string | null;
  audio_per_minute_micros: string | null;
  multiplier_bp: number;
}

const SETTLEMENT_ACTOR = 'settlement';

/** Settlements applied at once per replica; the ones arriving meanwhile form the next batch. */
const CONCURRENT_SETTLE_BATCHES = 2;
const MAX_SETTLE_BATCH = 64;

interface SettleRow {
  r_index: number;
  r_outcome: SettleHoldOutcome;
  r_held: string | null;
}

/**
 * Applies a settlement: charges the actual cost at the prices the hold was
 * quoted at, returns the hold, and writes the ledger and the usage log — all
 * in one transaction, at most once per hold.
 *
 * Ledger rows for a hold of A that cost C: `hold −A` (at reserve), then
 * `release +A` and `charge −C` here; net −C. A failed request only gets the
 * release. The charge is the actual cost even when C > A: the balance may go
 * below zero by the overshoot, and the next reserve is refused until it is
 * topped up.
 */
@Injectable()
export class SettleService {
  private readonly batcher = new MicroBatcher<Settlement, SettleOutcome>({
    maxBatchSize: MAX_SETTLE_BATCH,
    maxConcurrentBatches: CONCURRENT_SETTLE_BATCHES,
    run: (settlements) => this.settleBatch(settlements),
  });

  constructor(
    private readonly db: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly grants: GrantsRepository,
    @Inject(BILLING_CONFIG) private readonly config: Pick<BillingConfig, 'HOLD_TTL_MS'>,
  ) {}

  /**
   * Settlements arriving together are applied together (see MicroBatcher):
   * one read of their holds, then one call to billing.settle_holds, which
   * settles each in billing.settle_hold — in one transaction, and only holds
   * still open, so a duplicate arriving on another replica at the same
   * moment finds its hold closed and changes nothing.
   */
  settle(settlement: Settlement): Promise<SettleOutcome> {
    // With tracing on, a span under the request's own, from arrival to its batch's commit.
    return runInTraceparent(settlement.traceparent, () =>
      inSpan('settle hold', SpanKind.CONSUMER, {}, async (span) => {
        const outcome = await this.batcher.submit(settlement);
        span?.setAttribute('tollgate.settlement', outcome.kind);
        return outcome;
      }),
    );
  }

  /** How the settlements were batched (see MicroBatcher.stats). */
  get batchStats(): MicroBatcher<Settlement, SettleOutcome>['stats'] {
    return this.batcher.stats;
  }

  private settleBatch(settlements: Settlement[]): Promise<SettleOutcome[]> {
    // Outside any one request's trace: the batch's queries are many requests' (and so no one's span).
    return outsideTrace(() => this.settleTogether(settlements));
  }

  private async settleTogether(settlements: Settlement[]): Promise<SettleOutcome[]> {
    // The hold is read without a lock, to price the usage at its quoted prices; settle_hold re-checks it is open.
    const holds = await this.db.query<HoldRow[]>(
      `SELECT id, user_id, key_id, model, status, amount_micros, image_price_micros, input_per_million_micros,
              output_per_million_micros, characters_per_million_micros, cached_input_per_million_micros,
              cache_write_per_million_micros, reasoning_per_million_micros, audio_per_minute_micros, multiplier_bp
         FROM billing.holds WHERE id = ANY($1::uuid[])`,
      [settlements.map((settlement) => settlement.holdId)],
    );
    const holdsById = new Map(holds.map((hold) => [hold.id, hold]));
    const admitted = await this.admittedHolds(settlements.filter((s) => !holdsById.has(s.holdId.toLowerCase())));

    const outcomes: SettleOutcome[] = [];
    const items: Array<{
      settlementIndex: number;
      settlement: Settlement;
      model: string;
      usage: Usage;
      cost: bigint;
      json: object;
    }> = [];
    settlements.forEach((settlement, settlementIndex) => {
      // PostgreSQL returns uuids in lower case.
      const holdId = settlement.holdId.toLowerCase();
      const recorded = holdsById.get(holdId);
      const hold = recorded ?? admitted.get(holdId);
      if (!hold) {
        outcomes[settlementIndex] = { kind: 'unknown_hold' };
        return;
      }
      if (hold.status !== 'open') {
        outcomes[settlementIndex] = { kind: 'not_open', status: hold.status };
        return;
      }
      const usage = this.usageOf(hold, settlement);
      const cost = this.costOf(hold, settlement, usage);
      const json = settleItem(hold, settlement, usage, cost);
      // Not recorded yet: the settlement records its admission first, in the same transaction.
      const admission =
        recorded || !settlement.admission
          ? {}
          : { admission: admissionJson(admissionItem(settlement.admission, this.config.HOLD_TTL_MS)) };
      items.push({ settlementIndex, settlement, model: hold.model, usage, cost, json: { ...json, ...admission } });
    });
    if (items.length === 0) return outcomes;

    const rows = await this.db.query<SettleRow[]>(`SELECT * FROM billing.settle_holds($1::jsonb)`, [
      JSON.stringify(items.map((item) => item.json)),
    ]);
    const rowsByIndex = new Map(rows.map((row) => [row.r_index, row]));
    items.forEach(({ settlementIndex, settlement, model, usage, cost }, itemIndex) => {
      const row = rowsByIndex.get(itemIndex + 1);
      if (!row || row.r_outcome === 'not_open' || row.r_held === null) {
        outcomes[settlementIndex] = { kind: 'not_open', status: 'closed' };
        return;
      }
      const held = BigInt(row.r_held);
      if (settlement.succeeded) billingMetrics.settled(model, usage, cost);
      else billingMetrics.released();
      outcomes[settlementIndex] = settlement.succeeded
        ? { kind: 'settled', chargedMicros: cost, releasedMicros: held }
        : { kind: 'released', releasedMicros: held };
    });
    return outcomes;
  }

  /**
   * The holds that settlements of requests admitted from a credit grant will
   * create when their admission record has not been recorded yet: priced at
   * the prices their grant was quoted at, as the record would make them.
   */
  private async admittedHolds(settlements: Settlement[]): Promise<Map<string, HoldRow>> {
    const records = settlements.flatMap((settlement) => (settlement.admission ? [settlement.admission] : []));
    if (records.length === 0) return new Map();
    const grants = await this.grants.grantsById(records.map((record) => record.grantId.toLowerCase()));
    const grantsById = new Map(grants.map((grant) => [grant.grantId, grant]));
    const holds = new Map<string, HoldRow>();
    for (const record of records) {
      const grant = grantsById.get(record.grantId.toLowerCase());
      if (grant) holds.set(record.admissionId.toLowerCase(), admittedHold(record, grant));
    }
    return holds;
  }

  /** The usage to charge and record; the upstream's counts corrected where its parts exceed their whole. */
  private usageOf(hold: HoldRow, settlement: Settlement): Usage {
    const { usage, corrections } = chargedUsage(settlement.usage);
    if (settlement.succeeded && corrections.length > 0) {
      this.logger.warn(
        { tid: settlement.tid, holdId: hold.id, model: hold.model, usage: settlement.usage, corrections },
        'usage parts exceed their whole; charged within the totals',
      );
    }
    return usage;
  }

  private costOf(hold: HoldRow, settlement: Settlement, usage: Usage): bigint {
    if (hold.user_id !== settlement.userId.toLowerCase() || hold.key_id !== settlement.keyId.toLowerCase()) {
      // The hold is the record of who reserved; the settlement only reports usage.
      this.logger.warn(
        { tid: settlement.tid, holdId: hold.id, userId: settlement.userId, keyId: settlement.keyId },
        "settlement names another user or key than its hold; charging the hold's",
      );
    }
    return settlement.succeeded ? this.actualCost(hold, settlement, usage) : 0n;
  }

  private actualCost(hold: HoldRow, settlement: Settlement, charged: Usage): bigint {
    const prices: UnitPrices = {
      inputPerMillionMicros: BigInt(hold.input_per_million_micros),
      outputPerMillionMicros: BigInt(hold.output_per_million_micros),
      imageMicros: hold.image_price_micros === null ? null : BigInt(hold.image_price_micros),
      charactersPerMillionMicros: BigInt(hold.characters_per_million_micros),
      cachedInputPerMillionMicros: microsOrNull(hold.cached_input_per_million_micros),
      cacheWritePerMillionMicros: microsOrNull(hold.cache_write_per_million_micros),
      reasoningPerMillionMicros: microsOrNull(hold.reasoning_per_million_micros),
      audioPerMinuteMicros: microsOrNull(hold.audio_per_minute_micros),
    };
    let usage = charged;
    if (usage.images > 0 && prices.imageMicros === null) {
      // The estimate said no images and the model has no image price for any
      // size; the request was served, so charge what can be priced and say so loudly.
      this.logger.error(
        { tid: settlement.tid, holdId: hold.id, model: hold.model, images: usage.images },
        'images without a price were not charged',
      );
      usage = { ...usage, images: 0 };
    }
    if (usage.audioSeconds > 0 && prices.audioPerMinuteMicros === null) {
      // Likewise for audio: the hold was quoted without seconds (an estimate of none), the model has no
      // per-minute price; the tokens are charged, the seconds are not, and someone must set the price.
      this.logger.error(
        { tid: settlement.tid, holdId: hold.id, model: hold.model, audioSeconds: usage.audioSeconds },
        'audio seconds without a per-minute price were not charged',
      );
      usage = { ...usage, audioSeconds: 0 };
    }
    return costMicros(prices, usage, hold.multiplier_bp);
  }
}

const microsOrNull = (micros: string | null): bigint | null => (micros === null ? null : BigInt(micros));

/** The hold billing.record_admission makes from a record: its grant's prices, no image or audio price. */
function admittedHold(record: AdmissionRecord, grant: GrantRow): HoldRow {
  const prices = toDecimalTokenPrices(grant.prices);
  return {
    input_per_million_micros: prices.inputPerMillionMicros,
    output_per_million_micros: prices.outputPerMillionMicros,
    characters_per_million_micros: prices.charactersPerMillionMicros,
    cached_input_per_million_micros: prices.cachedInputPerMillionMicros,
    cache_write_per_million_micros: prices.cacheWritePerMillionMicros,
    reasoning_per_million_micros: prices.reasoningPerMillionMicros,
    multiplier_bp: grant.multiplierBp,
    id: record.admissionId.toLowerCase(),
    user_id: record.userId.toLowerCase(),
    key_id: record.keyId.toLowerCase(),
    model: record.model,
    status: 'open',
    amount_micros: record.amountMicros,
    image_price_micros: null,
    audio_per_minute_micros: null,
  };
}

/** One item of billing.settle_holds: the arguments of billing.settle_hold. */
function settleItem(hold: HoldRow, settlement: Settlement, usage: Usage, cost: bigint): object {
  return {
    holdId: hold.id,
    cost: cost.toString(),
    succeeded: settlement.succeeded,
    reason: settlement.succeeded
      ? `${hold.model}: ${describeUsage(usage)}`
      : `${hold.model}: request failed (HTTP ${settlement.httpStatus})`,
    tid: settlement.tid || null,
    actor: SETTLEMENT_ACTOR,
    channelId: settlement.channelId,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    reasoningTokens: usage.reasoningTokens,
    images: usage.images,
    characters: usage.characters,
    audioSeconds: usage.audioSeconds,
    latencyMs: settlement.latencyMs,
    httpStatus: settlement.httpStatus,
    stream: settlement.stream,
  };
}

/** The ledger's reason line: "1200 in (800 cached, 100 cache write), 300 out (120 reasoning), 2 images, 75 s audio". */
function describeUsage(usage: Usage): string {
  const { inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens, images, characters } = usage;
  const { audioSeconds } = usage;
  const inputParts = [
    ...(cachedInputTokens > 0 ? [`${cachedInputTokens} cached`] : []),
    ...(cacheWriteTokens > 0 ? [`${cacheWriteTokens} cache write`] : []),
  ];
  const parts = [
    `${inputTokens} in${inputParts.length > 0 ? ` (${inputParts.join(', ')})` : ''}`,
    `${outputTokens} out${reasoningTokens > 0 ? ` (${reasoningTokens} reasoning)` : ''}`,
  ];
  if (images > 0) parts.push(`${images} images`);
  if (characters > 0) parts.push(`${characters} chars`);
  if (audioSeconds > 0) parts.push(`${audioSeconds} s audio`);
  return parts.join(', ');
}
