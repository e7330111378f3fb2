import { beforeAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { SETTLEMENT_STREAM } from '@tollgate/contracts';
import { eventually } from '@tollgate/testing';
import { startChatLoad, loadTidOf, type ChatLoad, type LoadRequest } from './support/chat-load.js';
import { createChannel, createCustomer, setPrice } from './support/fixtures.js';
import { balanceOf, ledgerOf, micros, untilAllSettled } from './support/ledger.js';
import { chargesByTid, type RequestCharge } from './support/request-charges.js';
import { useSuite } from './support/suite.js';
import type { SuiteService } from '../tools/launcher/src/service-processes.js';

const MODEL = 'faulty';
/** Output-only pricing at 1 micro-unit per token: a request holds its max_tokens and costs its output tokens. */
const HOLD = 20n;
const USAGE = 10n;
/** Each scenario's customer starts with 1 USD. */
const BALANCE = 1_000_000n;
/**
 * Holds expire 20 s after they were placed, checked every half second: long
 * after any settlement of a healthy suite (a settlement a killed billing had
 * pulled comes back after the 5 s ack wait; a release for a lost reserve
 * reply, after NATS_REQUEST_TIMEOUT_MS), short enough to wait for in a test.
 */
const HOLD_TTL_MS = 20_000;
const SETTLEMENT_ACK_WAIT_MS = 5_000;
/** Answers served before the fault, and again after it, with the restarted process in the path. */
const SERVED_EACH_SIDE = 30;
/** The fake provider keeps its last 1000 requests; a scenario must not make more. */
const MAX_RECORDED = 1000;

/** What may become of a request's money. */
type Outcome = 'untouched' | 'released' | 'charged its usage' | 'charged its hold';

/** One of the outcomes, or a description of ledger rows that fit none. */
function outcomeOf(charge: RequestCharge | undefined): string {
  if (!charge) return 'untouched' satisfies Outcome;
  const { holds, closings, charged } = charge;
  if (holds.length === 1 && closings.length === 1) {
    if (closings[0] === 'release' && charged === 0n) return 'released' satisfies Outcome;
    if (closings[0] === 'release' && charged === USAGE) return 'charged its usage' satisfies Outcome;
    if (closings[0] === 'expiry' && charged === HOLD) return 'charged its hold' satisfies Outcome;
  }
  return `${holds.length} hold(s), closed by [${closings.join(', ')}], charged ${charged}`;
}

/**
 * A fault, and what it may do to the money of the requests sent before the
 * suite was healthy again. Requests sent after that must fare as in a
 * healthy suite: charged their usage if served, nothing otherwise.
 */
interface Fault {
  inject(): Promise<void>;
  /**
   * Whether a request the upstream served may be charged at its hold: only
   * when the fault can keep its settlement from being published.
   */
  servedMayExpire: boolean;
  /**
   * Whether a request the upstream never served may be charged at its hold:
   * only when the edge dies holding it (documented: a hold whose settlement
   * never comes is charged at the held amount), and the client then got no
   * answer.
   */
  unansweredMayExpire: boolean;
}

describe('faults: a process killed or NATS restarted under load costs no customer a micro-unit too much or too little', () => {
  const suite = useSuite({
    env: {
      HOLD_TTL_MS: String(HOLD_TTL_MS),
      SETTLEMENT_ACK_WAIT_MS: String(SETTLEMENT_ACK_WAIT_MS),
      // These requests last milliseconds: the margin for minutes-long requests would keep holds open for minutes.
      HOLD_TTL_MARGIN_MS: String(HOLD_TTL_MS - 2 * SETTLEMENT_ACK_WAIT_MS),
      MAINTENANCE_INTERVAL_MS: '500',
      // The load makes thousands of requests a minute: rate limits are not under test here.
      DEFAULT_KEY_RPM: '1000000',
      DEFAULT_USER_RPM: '1000000',
    },
  });

  beforeAll(async () => {
    await createChannel(suite, { models: [MODEL] });
    await setPrice(suite, MODEL, '0', '1');
    // Time at the upstream, so a fault finds requests there; usage below the hold, so the two charges differ.
    suite.fake.setDefaults({ byModel: { [MODEL]: { latencyMs: 20, completionTokens: Number(USAGE) } } });
  });

  /** The sequence number of the last message the settlement stream took. */
  const lastSettlementSeq = () =>
    eventually(
      async () => {
        const nats = await connect({ servers: suite.natsUrl });
        try {
          const { state } = await (await jetstreamManager(nats)).streams.info(SETTLEMENT_STREAM.stream);
          return state.last_seq;
        } finally {
          await nats.close();
        }
      },
      { timeoutMs: 15_000 },
    );

  const healthy = () =>
    eventually(async () => expect((await fetch(`${suite.edgeUrl}/healthz`).catch(() => null))?.status).toBe(200), {
      timeoutMs: 30_000,
    });

  const untilServed = (load: { served(): number }, count: number) =>
    eventually(
      () => {
        if (load.served() < count) throw new Error(`${load.served()} of ${count} requests served`);
      },
      { timeoutMs: 30_000 },
    );

  /** Holds open for the user; polled until none is, as expiry closes the last ones. */
  const noOpenHold = async (userId: string) => {
    await untilAllSettled(suite, userId, HOLD_TTL_MS + 30_000, 250);
    const holds = await suite.admin<{ data: unknown[] }>('GET', `/admin/v1/users/${userId}/holds`);
    expect(holds.body.data).toEqual([]);
  };

  const crashAndRestart = async (service: SuiteService) => {
    await suite.killService(service);
    await suite.startService(service);
  };

  async function underLoad(fault: Fault): Promise<void> {
    const customer = await createCustomer(suite, { balance: (Number(BALANCE) / 1_000_000).toFixed(6) });
    suite.fake.clearRequests();
    const load = startChatLoad({
      edgeUrl: suite.edgeUrl,
      key: customer.key,
      model: MODEL,
      clients: 8,
      maxTokens: Number(HOLD),
    });
    let requests: LoadRequest[];
    let recoveredAt = Infinity;
    try {
      await untilServed(load, SERVED_EACH_SIDE);
      await fault.inject();
      await healthy();
      recoveredAt = Date.now();
      await untilServed(load, load.served() + SERVED_EACH_SIDE);
    } finally {
      requests = await load.stop();
    }
    await noOpenHold(customer.userId);

    const recorded = suite.fake.requests;
    expect(recorded.length).toBeLessThan(MAX_RECORDED);
    const servedUpstream = new Set(recorded.map((request) => loadTidOf(request.body)));
    const ledger = await ledgerOf(suite, customer.userId);
    const charges = chargesByTid(ledger);

    const wrong = requests.flatMap((request) => {
      const served = servedUpstream.has(request.tid);
      const outcome = outcomeOf(charges.get(request.tid));
      const duringFault = request.startedAt < recoveredAt;
      const mayExpire =
        duringFault && (served ? fault.servedMayExpire : fault.unansweredMayExpire && request.status === null);
      const allowed: string[] = [
        ...(served ? (['charged its usage'] satisfies Outcome[]) : (['untouched', 'released'] satisfies Outcome[])),
        ...(mayExpire ? (['charged its hold'] satisfies Outcome[]) : []),
      ];
      if (request.status === 200 && !served) return [`${request.tid}: answered 200 but never reached the upstream`];
      return allowed.includes(outcome)
        ? []
        : [
            `${request.tid} (${served ? 'served' : 'not served'}, status ${request.status}, ` +
              `${duringFault ? 'during the fault' : 'after it'}): ${outcome}`,
          ];
    });
    expect(wrong).toEqual([]);
    // No money moved for a request the load did not make.
    const made = new Set(requests.map((request) => request.tid));
    expect([...charges.keys()].filter((tid) => !made.has(tid))).toEqual([]);

    const charged = [...charges.values()].reduce((total, charge) => total + charge.charged, 0n);
    const { balance } = await balanceOf(suite, customer.userId);
    expect(balance).toBe(BALANCE - charged);
    expect(balance).toBe(ledger.reduce((total, entry) => total + micros(entry.amount), 0n));
    const reconcile = await suite.admin<{ ok: boolean; differences: unknown[] }>('GET', '/admin/v1/reconcile');
    expect(reconcile.body).toMatchObject({ ok: true, differences: [] });
  }

  it('billing killed: every served request charged its usage once, every other one nothing', async () => {
    await underLoad({
      inject: () => crashAndRestart('billing'),
      servedMayExpire: false,
      unansweredMayExpire: false,
    });
  }, 90_000);

  it('edge killed and started again: requests it died holding are charged their hold, no other one twice', async () => {
    await underLoad({
      inject: () => crashAndRestart('edge'),
      servedMayExpire: true,
      unansweredMayExpire: true,
    });
  }, 90_000);

  it('router killed: served requests charged their usage, refused ones nothing', async () => {
    await underLoad({
      inject: () => crashAndRestart('router'),
      servedMayExpire: false,
      unansweredMayExpire: false,
    });
  }, 90_000);

  it('NATS restarted: JetStream keeps the settlements, nothing is charged twice or for nothing', async () => {
    await underLoad({
      inject: async () => {
        const before = await lastSettlementSeq();
        await suite.restartNats();
        // The stream survived with its messages: a stream made anew would count from 0 again.
        expect(await lastSettlementSeq()).toBeGreaterThanOrEqual(before);
      },
      servedMayExpire: true,
      unansweredMayExpire: false,
    });
  }, 90_000);
});

/**
 * With credit grants, an edge that dies holds slices of the customer's
 * money in memory and may have admitted requests billing has not heard of
 * yet (their records are in JetStream): the other edge must go on serving,
 * and once the dead edge's grants have expired and every record is
 * recorded, the books must come out exact as in the cases above.
 */
describe('faults: one of two edges killed under load while both admit from credit grants', () => {
  const GRANT_VALIDITY_MS = 3_000;
  const GRANT_CLOSE_GRACE_MS = 3_000;
  const suite = useSuite({
    replicas: { billing: 2 },
    env: {
      HOLD_TTL_MS: String(HOLD_TTL_MS),
      SETTLEMENT_ACK_WAIT_MS: String(SETTLEMENT_ACK_WAIT_MS),
      HOLD_TTL_MARGIN_MS: String(HOLD_TTL_MS - 2 * SETTLEMENT_ACK_WAIT_MS),
      MAINTENANCE_INTERVAL_MS: '500',
      DEFAULT_KEY_RPM: '1000000',
      DEFAULT_USER_RPM: '1000000',
      GRANT_VALIDITY_MS: String(GRANT_VALIDITY_MS),
      GRANT_CLOSE_GRACE_MS: String(GRANT_CLOSE_GRACE_MS),
    },
  });

  beforeAll(async () => {
    await createChannel(suite, { models: [MODEL] });
    await setPrice(suite, MODEL, '0', '1');
    suite.fake.setDefaults({ byModel: { [MODEL]: { latencyMs: 20, completionTokens: Number(USAGE) } } });
  });

  interface Grant {
    edge_id: string;
    status: string;
  }
  const grantsOf = async (userId: string) =>
    (await suite.admin<{ data: Grant[] }>('GET', `/admin/v1/users/${userId}/grants`)).body.data;

  const untilServed = (load: { served(): number }, count: number) =>
    eventually(
      () => {
        if (load.served() < count) throw new Error(`${load.served()} of ${count} requests served`);
      },
      { timeoutMs: 30_000 },
    );

  it('the other edge keeps serving; every request charged once at most, the dead edge’s grants closed, nothing lent', async () => {
    const customer = await createCustomer(suite, { balance: (Number(BALANCE) / 1_000_000).toFixed(6) });
    const doomed = await suite.startEdge();
    suite.fake.clearRequests();
    const start = (edgeUrl: string) =>
      startChatLoad({ edgeUrl, key: customer.key, model: MODEL, clients: 4, maxTokens: Number(HOLD) });
    // The doomed edge's load first: the first grant listed is its own.
    const doomedLoad = start(doomed.url);
    let survivorLoad: ChatLoad | undefined;
    let doomedRequests: LoadRequest[];
    let survivorRequests: LoadRequest[];
    let killedFrom = Infinity;
    let killedAt = Infinity;
    try {
      const doomedEdgeId = await eventually(
        async () => {
          const grant = (await grantsOf(customer.userId)).find((candidate) => candidate.status === 'open');
          if (!grant) throw new Error('no grant yet');
          return grant.edge_id;
        },
        { timeoutMs: 15_000 },
      );
      survivorLoad = start(suite.edgeUrl);
      await untilServed(doomedLoad, SERVED_EACH_SIDE);
      await untilServed(survivorLoad, SERVED_EACH_SIDE);
      // Killed while it holds a slice of the customer's money.
      await eventually(
        async () => {
          const open = (await grantsOf(customer.userId)).filter((grant) => grant.status === 'open');
          expect(open.map((grant) => grant.edge_id)).toContain(doomedEdgeId);
        },
        { timeoutMs: 10_000 },
      );
      killedFrom = Date.now();
      await suite.killProcess(doomed.process);
      killedAt = Date.now();
      await untilServed(survivorLoad, survivorLoad.served() + SERVED_EACH_SIDE);
    } finally {
      doomedRequests = await doomedLoad.stop();
      survivorRequests = (await survivorLoad?.stop()) ?? [];
    }

    await untilAllSettled(suite, customer.userId, HOLD_TTL_MS + 30_000, 250);
    const holds = await suite.admin<{ data: unknown[] }>('GET', `/admin/v1/users/${customer.userId}/holds`);
    expect(holds.body.data).toEqual([]);

    const recorded = suite.fake.requests;
    expect(recorded.length).toBeLessThan(MAX_RECORDED);
    const servedUpstream = new Set(recorded.map((request) => loadTidOf(request.body)));
    const ledger = await ledgerOf(suite, customer.userId);
    const charges = chargesByTid(ledger);
    const verdicts = (requests: LoadRequest[], onDoomed: boolean) =>
      requests.flatMap((request) => {
        const served = servedUpstream.has(request.tid);
        const outcome = outcomeOf(charges.get(request.tid));
        // Sent to the edge before it was gone: it may have died holding the request's money.
        const mayExpire = onDoomed && request.startedAt < killedAt && (served || request.status === null);
        const allowed: string[] = [
          ...(served ? (['charged its usage'] satisfies Outcome[]) : (['untouched', 'released'] satisfies Outcome[])),
          ...(mayExpire ? (['charged its hold'] satisfies Outcome[]) : []),
        ];
        if (request.status === 200 && !served) return [`${request.tid}: answered 200 but never reached the upstream`];
        if (onDoomed && request.startedAt >= killedAt && outcome !== 'untouched') {
          return [`${request.tid}: sent to the dead edge, yet ${outcome}`];
        }
        return allowed.includes(outcome)
          ? []
          : [
              `${request.tid} (${onDoomed ? 'killed edge' : 'surviving edge'}, ${served ? 'served' : 'not served'}, ` +
                `status ${request.status}): ${outcome}`,
            ];
      });
    expect([...verdicts(doomedRequests, true), ...verdicts(survivorRequests, false)]).toEqual([]);
    // The surviving edge answered every request it was sent while the other died: it never stopped serving.
    expect(survivorRequests.filter((request) => request.status !== 200)).toEqual([]);
    expect(doomedRequests.some((request) => request.startedAt < killedFrom && request.status === 200)).toBe(true);
    // No money moved for a request the load did not make.
    const made = new Set([...doomedRequests, ...survivorRequests].map((request) => request.tid));
    expect([...charges.keys()].filter((tid) => !made.has(tid))).toEqual([]);

    const charged = [...charges.values()].reduce((total, charge) => total + charge.charged, 0n);
    const { balance } = await balanceOf(suite, customer.userId);
    expect(balance).toBe(BALANCE - charged);
    expect(balance).toBe(ledger.reduce((total, entry) => total + micros(entry.amount), 0n));

    // The dead edge never returned its grants: billing closes them once their validity and grace are over.
    await eventually(
      async () => {
        expect(await grantsOf(customer.userId)).toEqual([]);
        const view = await suite.admin<{ granted: string }>('GET', `/admin/v1/users/${customer.userId}/balance`);
        expect(view.body.granted).toBe('0.000000');
      },
      { timeoutMs: GRANT_VALIDITY_MS + GRANT_CLOSE_GRACE_MS + 5_000 },
    );
    const reconcile = await suite.admin<{ ok: boolean; differences: unknown[] }>('GET', '/admin/v1/reconcile');
    expect(reconcile.body).toMatchObject({ ok: true, differences: [] });
  }, 120_000);
});
