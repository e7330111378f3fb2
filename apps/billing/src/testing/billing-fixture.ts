import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type {
  LedgerEntryView,
  LedgerRequest,
  Page,
  ReconcileReport,
  ReserveRequest,
  Settlement,
  UsageEstimate,
} from '@tollgate/contracts';
import { createLogger } from '@tollgate/observability';
import { eventually } from '@tollgate/testing';
import { KnownUsersRepository } from '../accounts/known-users.repository.js';
import { UserRegistry } from '../accounts/user-registry.js';
import { loadBillingConfig, type BillingConfig } from '../billing.config.js';
import { GrantReclaimer } from '../grants/grant-reclaimer.js';
import { GrantsRepository } from '../grants/grants.repository.js';
import { HoldExpirySweeper } from '../holds/hold-expiry.sweeper.js';
import { HoldsRepository } from '../holds/holds.repository.js';
import { ReserveService } from '../holds/reserve.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { RateWindowSweeper } from '../limits/rate-window.sweeper.js';
import { PriceBook } from '../pricing/price-book.js';
import { PricesService } from '../pricing/prices.service.js';
import { RequestLogService } from '../requests/request-log.service.js';
import { SettleService } from '../settlement/settle.service.js';
import { AdjustmentBatchesRepository } from '../staff/adjustment-batches.repository.js';
import { AdjustmentLedger } from '../staff/adjustment-ledger.js';
import { AdjustmentsService } from '../staff/adjustments.service.js';
import { BatchAdjustService } from '../staff/batch-adjust.service.js';
import { ReconcileService } from '../staff/reconcile.service.js';
import { UsageService } from '../staff/usage.service.js';
import { FakeUserDirectory } from './fake-user-directory.js';

/** Settings for specs: `env` as the process would read it. */
export const testConfig = (env: Record<string, string> = {}): BillingConfig =>
  loadBillingConfig({ LOG_LEVEL: 'silent', ...env });

/** The one auth every billing instance of a spec file asks, as every replica asks the one auth service. */
export const specAuth = new FakeUserDirectory();

/**
 * The billing services over one DataSource, wired by hand as the module wires
 * them (no NATS: price broadcasts go nowhere; auth is `auth`). Two of these
 * over two DataSources behave like two billing replicas.
 */
export function billingInstance(db: DataSource, config: BillingConfig = testConfig(), auth = specAuth) {
  const logger = createLogger('billing-test', 'silent');
  const bus = { broadcast: () => undefined, onBroadcast: () => undefined };
  const book = new PriceBook(db, config);
  const holds = new HoldsRepository(db);
  const ledger = new LedgerService(db);
  const knownUsers = new KnownUsersRepository(db);
  const users = new UserRegistry(knownUsers, auth, logger);
  const adjustmentLedger = new AdjustmentLedger(db, users);
  const grants = new GrantsRepository(db);
  // No edges in these specs: nothing answers a reclaim, so there is never anything to wait for.
  const reclaimer = new GrantReclaimer(grants, bus, config, logger);
  return {
    db,
    config,
    logger,
    auth,
    knownUsers,
    users,
    book,
    holds,
    grants,
    reclaimer,
    ledger,
    prices: new PricesService(db, book, bus),
    reserve: new ReserveService(book, holds, reclaimer, config),
    settle: new SettleService(db, logger, grants, config),
    adjustments: new AdjustmentsService(adjustmentLedger, reclaimer),
    batches: new BatchAdjustService(adjustmentLedger, new AdjustmentBatchesRepository(db), reclaimer),
    reconcile: new ReconcileService(db, users),
    usage: new UsageService(db),
    requestLog: new RequestLogService(db),
    expiry: new HoldExpirySweeper(db, config, logger),
    rateWindows: new RateWindowSweeper(db, config, logger),
  };
}

export type BillingInstance = ReturnType<typeof billingInstance>;

/** A model priced at 1 micro per input token and 2 per output token: an estimate of 100 in + 50 out holds 200. */
export const TEST_MODEL = 'test-model';
export const ESTIMATE: UsageEstimate = {
  inputTokens: 100,
  outputTokens: 50,
  images: 0,
  imageSize: null,
  characters: 0,
};
export const ESTIMATE_MICROS = 200n;

export async function priceTestModel(instance: BillingInstance): Promise<void> {
  const reply = await instance.prices.setPrice({
    model: TEST_MODEL,
    inputPerMillionMicros: '1000000',
    outputPerMillionMicros: '2000000',
  });
  if (!reply.ok) throw new Error('could not price the test model');
}

export interface Customer {
  userId: string;
  keyId: string;
}

export const newCustomer = (): Customer => ({ userId: randomUUID(), keyId: randomUUID() });

/** A user auth has (added to it if it had not yet), topped up by staff. */
export async function fund(instance: BillingInstance, userId: string, micros: bigint): Promise<void> {
  instance.auth.add(userId);
  const reply = await instance.adjustments.topUp({
    userId,
    amountMicros: micros.toString(),
    actor: 'spec',
    reason: 'funding',
    idempotencyKey: `fund-${randomUUID()}`,
  });
  if (!reply.ok) throw new Error(`could not fund ${userId}`);
}

export function reserveRequest(customer: Customer, overrides: Partial<ReserveRequest> = {}): ReserveRequest {
  return {
    holdId: randomUUID(),
    userId: customer.userId,
    keyId: customer.keyId,
    keySuffix: 'a1B2c3',
    group: 'default',
    model: TEST_MODEL,
    rpmLimit: 100_000,
    budgetMicros: null,
    estimate: ESTIMATE,
    ...overrides,
  };
}

export function settlementFor(customer: Customer, holdId: string, overrides: Partial<Settlement> = {}): Settlement {
  return {
    holdId,
    tid: '4bf92f3577b34da6a3ce929d0e0e4736',
    userId: customer.userId,
    keyId: customer.keyId,
    model: TEST_MODEL,
    channelId: 1,
    succeeded: true,
    usage: {
      inputTokens: 100,
      outputTokens: 20,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      images: 0,
      characters: 0,
    },
    httpStatus: 200,
    latencyMs: 120,
    stream: false,
    ...overrides,
  };
}

/** balance and sum(ledger) for one user, straight from the tables. */
export async function moneyOf(
  db: DataSource,
  userId: string,
): Promise<{ balance: bigint; held: bigint; ledger: bigint }> {
  const [row] = await db.query<Array<{ balance: string | null; held: string | null; ledger: string }>>(
    `SELECT (SELECT balance_micros FROM billing.accounts WHERE user_id = $1) AS balance,
            (SELECT held_micros FROM billing.accounts WHERE user_id = $1) AS held,
            (SELECT coalesce(sum(amount_micros), 0) FROM billing.ledger WHERE user_id = $1) AS ledger`,
    [userId],
  );
  return { balance: BigInt(row?.balance ?? 0), held: BigInt(row?.held ?? 0), ledger: BigInt(row?.ledger ?? 0) };
}

export async function keySpent(db: DataSource, keyId: string): Promise<bigint> {
  const rows = await db.query<Array<{ spent_micros: string }>>(
    `SELECT spent_micros FROM billing.key_spend WHERE key_id = $1`,
    [keyId],
  );
  return BigInt(rows[0]?.spent_micros ?? 0);
}

/**
 * Rate-limit windows are whole minutes of the database clock; a spec that
 * counts requests waits out the last seconds of a minute so that all of its
 * requests land in one window.
 */
export async function awaitRoomInWindow(db: DataSource, seconds = 4): Promise<void> {
  await eventually(
    async () => {
      const [{ left }] = await db.query<[{ left: number }]>(
        `SELECT extract(epoch FROM date_trunc('minute', now()) + interval '1 minute' - now())::float8 AS left`,
      );
      if (left < seconds) throw new Error(`only ${left} s left in this minute's rate-limit window`);
    },
    { timeoutMs: (seconds + 2) * 1000, intervalMs: 100 },
  );
}

/** A ledger page the test expects to be served (the query is well formed). */
export async function ledgerPage(ledger: LedgerService, request: LedgerRequest): Promise<Page<LedgerEntryView>> {
  const reply = await ledger.page(request);
  if (!reply.ok) throw new Error(`ledger refused: ${JSON.stringify(reply.denial)}`);
  return reply.value;
}

/** A reconcile the test expects to be answered (auth answers, when it is asked). */
export async function reconcileReport(instance: BillingInstance): Promise<ReconcileReport> {
  const reply = await instance.reconcile.reconcile();
  if (!reply.ok) throw new Error(`reconcile refused: ${JSON.stringify(reply.denial)}`);
  return reply.value;
}
