import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Settlement } from '@tollgate/contracts';
import { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { eventually, testNats, type TestNats } from '@tollgate/testing';
import {
  fund,
  moneyOf,
  newCustomer,
  priceTestModel,
  reconcileReport,
  reserveRequest,
  settlementFor,
  testConfig,
  ledgerPage,
} from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { GrantsRepository } from '../grants/grants.repository.js';
import { SettleService, type SettleOutcome } from './settle.service.js';
import { SettlementConsumer } from './settlement.consumer.js';

jest.setTimeout(30_000);

/**
 * The settle service the consumers run, writing down what each settlement it
 * was handed did: how a spec sees that a duplicate arrived and changed nothing.
 */
class RecordingSettle extends SettleService {
  constructor(
    db: DataSource,
    logger: Logger,
    private readonly seen: Array<{ holdId: string; outcome: SettleOutcome['kind'] }>,
  ) {
    super(db, logger, new GrantsRepository(db), testConfig());
  }

  override async settle(settlement: Settlement): Promise<SettleOutcome> {
    const outcome = await super.settle(settlement);
    this.seen.push({ holdId: settlement.holdId, outcome: outcome.kind });
    return outcome;
  }
}

/**
 * Against real NATS (JetStream) and PostgreSQL. The stream, its subject and
 * the durable consumer get names unique to this run, so that parallel runs
 * and a running suite never share them; the stream is deleted at the end.
 */
describe(SettlementConsumer.name, () => {
  const run = randomBytes(6).toString('hex');
  const config = testConfig({
    SETTLEMENT_STREAM_NAME: `BILLING_SPEC_${run}`,
    SETTLEMENT_SUBJECT: `spec.billing.${run}.settlements`,
    SETTLEMENT_DURABLE: `billing-spec-${run}`,
    SETTLEMENT_ACK_WAIT_MS: '5000',
  });
  const seen: Array<{ holdId: string; outcome: SettleOutcome['kind'] }> = [];
  let nats: TestNats | undefined;
  let bus: NatsBus;
  let replicas: SettlementConsumer[];

  // Declared before the database, so that it runs first: the consumers stop before their database is dropped.
  afterAll(async () => {
    for (const replica of replicas ?? []) await replica.onModuleDestroy();
    if (bus) {
      const jsm = await bus.jetstreamManager();
      await jsm.streams.delete(config.SETTLEMENT_STREAM_NAME);
      await bus.close();
    }
    await nats?.stop();
  });

  const { billing, openReplica } = useBillingDatabase(config);

  beforeAll(async () => {
    await priceTestModel(billing);
    nats = await testNats();
    bus = await NatsBus.connect({
      servers: nats.url,
      name: `billing-spec-${run}`,
      requestTimeoutMs: 2000,
      logger: billing.logger,
    });
    // Two billing replicas sharing the durable consumer, each with its own DataSource.
    replicas = [
      new SettlementConsumer(bus, new RecordingSettle(billing.db, billing.logger, seen), config, billing.logger),
      new SettlementConsumer(
        bus,
        new RecordingSettle(await openReplica(), billing.logger, seen),
        config,
        billing.logger,
      ),
    ];
    for (const replica of replicas) await replica.onApplicationBootstrap();
  });

  /** What the consumers' settle calls did with the settlements of one hold, in order. */
  const outcomesOf = (holdId: string) => seen.filter((entry) => entry.holdId === holdId).map((entry) => entry.outcome);

  async function drained(): Promise<void> {
    const jsm = await bus.jetstreamManager();
    await eventually(
      async () => {
        const info = await jsm.consumers.info(config.SETTLEMENT_STREAM_NAME, config.SETTLEMENT_DURABLE);
        if (info.num_pending > 0 || info.num_ack_pending > 0) {
          throw new Error(`${info.num_pending} settlements not delivered, ${info.num_ack_pending} not acknowledged`);
        }
      },
      // A message asked for again comes back after its delay (5 s for a hold that does not exist yet).
      { timeoutMs: 15_000 },
    );
  }

  it('creates the stream and the durable consumer as configured', async () => {
    const jsm = await bus.jetstreamManager();

    const stream = await jsm.streams.info(config.SETTLEMENT_STREAM_NAME);
    const consumer = await jsm.consumers.info(config.SETTLEMENT_STREAM_NAME, config.SETTLEMENT_DURABLE);

    expect(stream.config).toMatchObject({
      subjects: [config.SETTLEMENT_SUBJECT],
      storage: 'file',
      duplicate_window: config.SETTLEMENT_DUPLICATE_WINDOW_MS * 1_000_000,
    });
    expect(consumer.config).toMatchObject({
      durable_name: config.SETTLEMENT_DURABLE,
      ack_policy: 'explicit',
      ack_wait: 5_000 * 1_000_000,
      max_deliver: config.SETTLEMENT_MAX_DELIVER,
    });
  });

  it('charges once for a settlement published several times', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const hold = await billing.reserve.reserve(reserveRequest(customer));
    if (!hold.ok) throw new Error('reserve refused');
    const payload = JSON.stringify(settlementFor(customer, hold.value.holdId));
    const js = bus.jetstream();

    // The edge's retry after a lost ack: the same msgID, dropped by the stream's duplicate window.
    const acks = [];
    for (let i = 0; i < 3; i++)
      acks.push(await js.publish(config.SETTLEMENT_SUBJECT, payload, { msgID: hold.value.holdId }));
    // A duplicate the stream cannot recognise (another msgID): the database makes it a no-op.
    const again = await js.publish(config.SETTLEMENT_SUBJECT, payload, { msgID: `${hold.value.holdId}-again` });
    await drained();

    expect(acks.map((ack) => ack.duplicate)).toEqual([false, true, true]);
    expect(again.duplicate).toBe(false);
    // Both copies the stream kept reached a consumer (the two replicas may take them at once):
    // one settled the hold, the other found it closed and changed nothing.
    expect(outcomesOf(hold.value.holdId).sort()).toEqual(['not_open', 'settled']);
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 860n, held: 0n, ledger: 860n });
    const charges = await ledgerPage(billing.ledger, { userId: customer.userId, types: ['charge', 'release'] });
    expect(charges.data.map((entry) => [entry.type, entry.amountMicros])).toEqual([
      ['charge', '-140'],
      ['release', '200'],
    ]);
  });

  it('applies a release that arrived before its hold, once the hold exists', async () => {
    // The edge publishes a release when a reserve's answer was lost; the reserve may commit after it.
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const request = reserveRequest(customer);
    const release = settlementFor(customer, request.holdId, { succeeded: false });
    await bus.jetstream().publish(config.SETTLEMENT_SUBJECT, JSON.stringify(release), { msgID: request.holdId });
    await eventually(() => expect(outcomesOf(request.holdId)).toEqual(['unknown_hold']));
    const hold = await billing.reserve.reserve(request);
    expect(hold.ok).toBe(true);
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 800n, held: 200n, ledger: 800n });

    await drained();
    expect(outcomesOf(request.holdId)).toEqual(['unknown_hold', 'released']);
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 1_000n, held: 0n, ledger: 1_000n });
  });

  it('settles many holds through both replicas, each exactly once', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 100_000n);
    const holds: string[] = [];
    for (let i = 0; i < 40; i++) {
      const hold = await billing.reserve.reserve(reserveRequest(customer));
      if (hold.ok) holds.push(hold.value.holdId);
    }
    const js = bus.jetstream();

    await Promise.all(
      holds.map((holdId, i) =>
        js.publish(
          config.SETTLEMENT_SUBJECT,
          JSON.stringify(settlementFor(customer, holdId, { succeeded: i % 4 !== 0 })),
          {
            msgID: holdId,
          },
        ),
      ),
    );
    await drained();

    // 30 succeeded at 140, 10 failed at 0.
    expect(await moneyOf(billing.db, customer.userId)).toEqual({
      balance: 100_000n - 30n * 140n,
      held: 0n,
      ledger: 100_000n - 30n * 140n,
    });
    expect((await reconcileReport(billing)).differences).toEqual([]);
  });

  it('applies a batch message (what edges publish): each settlement once, a malformed entry dropped alone', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 10_000n);
    const holds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const hold = await billing.reserve.reserve(reserveRequest(customer));
      if (hold.ok) holds.push(hold.value.holdId);
    }
    const batch = {
      settlements: [
        ...holds.map((holdId, i) => settlementFor(customer, holdId, { succeeded: i !== 0 })),
        { holdId: 'not-a-uuid' },
        // The same hold twice in one message: charged once.
        settlementFor(customer, holds[1]),
      ],
    };

    await bus.jetstream().publish(config.SETTLEMENT_SUBJECT, JSON.stringify(batch), { msgID: `batch-${run}` });
    await drained();

    // 4 succeeded at 140, 1 released in full.
    expect(await moneyOf(billing.db, customer.userId)).toEqual({
      balance: 10_000n - 4n * 140n,
      held: 0n,
      ledger: 10_000n - 4n * 140n,
    });
  });

  it('asks again for a batch naming a hold that does not exist yet, having applied the others once', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const known = await billing.reserve.reserve(reserveRequest(customer));
    if (!known.ok) throw new Error('reserve refused');
    const late = reserveRequest(customer);
    const batch = {
      settlements: [settlementFor(customer, known.value.holdId), settlementFor(customer, late.holdId)],
    };
    await bus.jetstream().publish(config.SETTLEMENT_SUBJECT, JSON.stringify(batch), { msgID: `late-${run}` });
    await eventually(() => expect(outcomesOf(late.holdId)).toEqual(['unknown_hold']));
    expect(outcomesOf(known.value.holdId)).toEqual(['settled']);
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 860n, held: 0n, ledger: 860n });

    // The late hold appears; the redelivery (after 5 s) settles it, and the first is not charged again.
    expect((await billing.reserve.reserve(late)).ok).toBe(true);
    await drained();
    expect(outcomesOf(late.holdId)).toEqual(['unknown_hold', 'settled']);
    expect(outcomesOf(known.value.holdId)).toEqual(['settled', 'not_open']);
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 720n, held: 0n, ledger: 720n });
  });

  it('drops a message that is not a settlement instead of retrying it forever', async () => {
    await bus.jetstream().publish(config.SETTLEMENT_SUBJECT, '{"holdId":"nope"}');

    await drained();
    const jsm = await bus.jetstreamManager();
    expect((await jsm.consumers.info(config.SETTLEMENT_STREAM_NAME, config.SETTLEMENT_DURABLE)).num_redelivered).toBe(
      0,
    );
  });

  it('acknowledges only after the transaction committed: a failed apply comes back and is charged then', async () => {
    for (const replica of replicas) await replica.onModuleDestroy();
    let failures = 1;
    class FlakySettle extends SettleService {
      override settle(settlement: Settlement) {
        if (failures-- > 0) return Promise.reject(new Error('database unavailable'));
        return super.settle(settlement);
      }
    }
    const flaky = new SettlementConsumer(
      bus,
      new FlakySettle(billing.db, billing.logger, billing.grants, config),
      config,
      billing.logger,
    );
    replicas = [flaky];
    await flaky.onApplicationBootstrap();
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const hold = await billing.reserve.reserve(reserveRequest(customer));
    if (!hold.ok) throw new Error('reserve refused');

    await bus
      .jetstream()
      .publish(config.SETTLEMENT_SUBJECT, JSON.stringify(settlementFor(customer, hold.value.holdId)), {
        msgID: hold.value.holdId,
      });
    await drained();

    expect(failures).toBeLessThan(0);
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 860n, held: 0n, ledger: 860n });
  });

  it('leaves the work queue empty', async () => {
    const jsm = await bus.jetstreamManager();

    expect((await jsm.streams.info(config.SETTLEMENT_STREAM_NAME)).state.messages).toBe(0);
  });
});
