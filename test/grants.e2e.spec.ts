import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { formatMoney } from '@tollgate/contracts';
import { eventually } from '@tollgate/testing';
import { startChatLoad, type LoadRequest } from './support/chat-load.js';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { balanceOf, expectBooksBalanced, micros, untilAllSettled, type LedgerEntry } from './support/ledger.js';
import { chargesByTid } from './support/request-charges.js';
import { useSuite } from './support/suite.js';

/** Output-only pricing at 1 micro-unit per token, and an upstream that reports exactly max_tokens: a request costs what it holds. */
const MAX_TOKENS = 10;
const COST = 10n;
/** Fast answers, for the tests about limits. */
const MODEL = 'granted';
/**
 * Answers that outlast ADMISSION_APPLY_DELAY_MS: billing records the
 * admission of a request served from a grant while it is still in flight,
 * so its hold (with its grant_id) shows in the holds list.
 */
const SLOW = 'granted-slow';
const SLOW_LATENCY_MS = 1_500;
/** A steady load whose clients each make a request every few tens of milliseconds. */
const STEADY = 'granted-steady';

/** How soon a suspension, a revocation or a staff debit made through one edge applies on every edge (two-edges.e2e). */
const PROPAGATION_MS = 1_000;
const PROPAGATION = { timeoutMs: PROPAGATION_MS };
const GRANT_VALIDITY_MS = 5_000;
const GRANT_CLOSE_GRACE_MS = 2_000;
const GRANT_IDLE_MS = 5_000;
const GRANT_SWEEP_INTERVAL_MS = 500;
const ADMISSION_APPLY_DELAY_MS = 1_000;
/**
 * From the moment a grant stops admitting to the moment it is closed: its
 * last records applied (the apply delay), one sweep, and room for a loaded
 * machine.
 */
const CLOSE_MARGIN_MS = ADMISSION_APPLY_DELAY_MS + GRANT_SWEEP_INTERVAL_MS + 2_000;
/** A warm-up that has not got a grant after this many sequential requests has failed. */
const WARM_UP_LIMIT = 30;

const QUOTA = 'Your account balance is insufficient. Please recharge your account to continue using the API.';

interface ErrorBody {
  error?: { message: string; code: string | null; tid: string };
}

interface Answer {
  /** The tid the request chose (its traceparent's trace id): the ledger rows of its hold carry it. */
  tid: string;
  status: number;
  body: ErrorBody;
}

/** A grant as GET /admin/v1/users/{id}/grants shows it. */
interface GrantItem {
  id: string;
  object: 'grant';
  edge_id: string;
  user_id: string;
  key_id: string;
  model: string;
  status: 'open' | 'returned' | 'draining' | 'closed';
  amount: string;
  drawn: string;
  unused: string;
  requests: number;
  drawn_requests: number;
  created_at: string;
  expires_at: string;
}

interface HoldItem {
  id: string;
  key_id: string;
  model: string;
  amount: string;
  tid: string | null;
  grant_id: string | null;
}

interface Account {
  balance: bigint;
  held: bigint;
  granted: bigint;
  available: bigint;
}

interface Reconcile {
  ok: boolean;
  differences: unknown[];
  pending_admissions: number | null;
}

/** Polls `probe` every 100 ms until stopped, keeping what it saw: what a test watches while a load runs. */
function sampling<T>(probe: () => Promise<T>): { stop(): Promise<T[]> } {
  const seen: T[] = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      seen.push(await probe());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      return seen;
    },
  };
}

/** `count` calls of `run`, at most `concurrency` at a time, in order of their index. */
async function inPool<T>(count: number, concurrency: number, run: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await run(index);
      }
    }),
  );
  return results;
}

/**
 * Requests whose money is not what their answer says: a 200 charged its
 * cost once (one hold, closed by one release), any other answer nothing
 * (untouched, or a hold released in full). Also any money moved for a tid
 * none of these requests carried.
 */
function wrongCharges(answers: readonly Answer[], ledger: readonly LedgerEntry[]): string[] {
  const charges = chargesByTid(ledger);
  const wrong = answers.flatMap((answer) => {
    const charge = charges.get(answer.tid);
    const described = charge
      ? `${charge.holds.length} hold(s), closed by [${charge.closings.join(', ')}], charged ${charge.charged}`
      : 'untouched';
    const once = charge?.holds.length === 1 && charge.closings.length === 1 && charge.closings[0] === 'release';
    const fine = answer.status === 200 ? once && charge?.charged === COST : !charge || (once && charge.charged === 0n);
    return fine ? [] : [`${answer.tid} (status ${answer.status}): ${described}`];
  });
  const made = new Set(answers.map((answer) => answer.tid));
  const strangers = [...charges.keys()].filter((tid) => !made.has(tid)).map((tid) => `${tid}: not a request made`);
  return [...wrong, ...strangers];
}

/** The load's requests as answers: chat-load keeps no body, so its refusals are known by status only. */
const asAnswers = (requests: readonly LoadRequest[]): Answer[] =>
  requests.map((request) => ({ tid: request.tid, status: request.status ?? 0, body: {} }));

/**
 * Credit grants across two edges and two billing replicas: a busy key's
 * requests are admitted in memory from slices billing lent each edge, and
 * every money guarantee of per-request reserves must still hold — each
 * request charged once, a balance, a budget or a rate limit for K serving
 * exactly K, staff actions applying within the bound on every edge.
 */
describe('credit grants across two edges', () => {
  const suite = useSuite({
    replicas: { billing: 2 },
    env: {
      GRANT_VALIDITY_MS: String(GRANT_VALIDITY_MS),
      GRANT_CLOSE_GRACE_MS: String(GRANT_CLOSE_GRACE_MS),
      GRANT_IDLE_MS: String(GRANT_IDLE_MS),
      GRANT_SWEEP_INTERVAL_MS: String(GRANT_SWEEP_INTERVAL_MS),
      ADMISSION_APPLY_DELAY_MS: String(ADMISSION_APPLY_DELAY_MS),
      // The steady loads make thousands of requests a minute; only the key's own limit is under test.
      DEFAULT_USER_RPM: '1000000',
    },
  });
  let edges: [string, string];

  beforeAll(async () => {
    await createChannel(suite, { models: [MODEL, SLOW, STEADY] });
    for (const model of [MODEL, SLOW, STEADY]) await setPrice(suite, model, '0', '1');
    suite.fake.setDefaults({
      completionTokens: MAX_TOKENS,
      byModel: { [SLOW]: { latencyMs: SLOW_LATENCY_MS }, [STEADY]: { latencyMs: 20 } },
    });
    const second = await suite.startEdge();
    edges = [suite.edgeUrl, second.url];
  });

  const chat = async (edgeUrl: string, key: string, model = MODEL): Promise<Answer> => {
    const tid = randomBytes(16).toString('hex');
    const response = await fetch(`${edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        traceparent: `00-${tid}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: MAX_TOKENS }),
    });
    return { tid, status: response.status, body: (await response.json()) as ErrorBody };
  };

  /** `count` requests at once, alternating between the two edges. */
  const burst = (key: string, count: number) =>
    Promise.all(Array.from({ length: count }, (_, i) => chat(edges[i % 2], key)));

  const grantsOf = async (userId: string): Promise<GrantItem[]> => {
    const response = await suite.admin<{ object: string; data: GrantItem[] }>(
      'GET',
      `/admin/v1/users/${userId}/grants`,
    );
    if (response.status !== 200) throw new Error(`grants: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.data;
  };

  const holdsOf = async (userId: string): Promise<HoldItem[]> => {
    const response = await suite.admin<{ data: HoldItem[] }>('GET', `/admin/v1/users/${userId}/holds`);
    if (response.status !== 200) throw new Error(`holds: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.data;
  };

  const accountOf = async (userId: string): Promise<Account> => {
    const response = await suite.admin<Record<keyof Account, string>>('GET', `/admin/v1/users/${userId}/balance`);
    if (response.status !== 200) throw new Error(`balance: ${response.status} ${JSON.stringify(response.body)}`);
    const { balance, held, granted, available } = response.body;
    return { balance: micros(balance), held: micros(held), granted: micros(granted), available: micros(available) };
  };

  const reconcile = async (): Promise<Reconcile> => (await suite.admin<Reconcile>('GET', '/admin/v1/reconcile')).body;

  const openGrants = (grants: readonly GrantItem[], customer: Customer) =>
    grants.filter((grant) => grant.status === 'open' && grant.key_id.toLowerCase() === customer.keyId.toLowerCase());

  /**
   * Sequential requests on one edge until the user's grants list shows an
   * open grant of an edge not in `known`: that grant's edge is this one.
   */
  const warm = async (
    edgeUrl: string,
    customer: Customer,
    model: string,
    known: ReadonlySet<string>,
  ): Promise<{ edgeId: string; answers: Answer[] }> => {
    const answers: Answer[] = [];
    while (answers.length < WARM_UP_LIMIT) {
      const answer = await chat(edgeUrl, customer.key, model);
      answers.push(answer);
      expect(answer.status).toBe(200);
      const grant = openGrants(await grantsOf(customer.userId), customer).find(
        (candidate) => candidate.model === model && !known.has(candidate.edge_id),
      );
      if (grant) return { edgeId: grant.edge_id, answers };
    }
    throw new Error(`no grant for ${edgeUrl} after ${WARM_UP_LIMIT} sequential requests`);
  };

  /** Both edges warm: each holds an open grant of the customer's key. Their edge ids, in the order of `edges`. */
  const warmBoth = async (customer: Customer, model = MODEL) => {
    const first = await warm(edges[0], customer, model, new Set());
    const second = await warm(edges[1], customer, model, new Set([first.edgeId]));
    return { edgeIds: [first.edgeId, second.edgeId], answers: [...first.answers, ...second.answers] };
  };

  /** The edges' grants of the customer that are still open, listed until there is none. */
  const untilNoOpenGrant = (customer: Customer, of: ReadonlySet<string> | null, timeoutMs: number) =>
    eventually(
      async () => {
        const open = openGrants(await grantsOf(customer.userId), customer).filter((grant) => of?.has(grant.id) ?? true);
        expect(open.map((grant) => `${grant.id} of edge ${grant.edge_id}`)).toEqual([]);
      },
      { timeoutMs },
    );

  /** No grant of the user listed (every one closed), nothing lent, and the books clean. */
  const untilNothingLent = async (userId: string, timeoutMs: number) => {
    await eventually(
      async () => {
        expect(await grantsOf(userId)).toEqual([]);
        const account = await accountOf(userId);
        expect(account.granted).toBe(0n);
        expect(account.available).toBe(account.balance);
      },
      { timeoutMs },
    );
    expect(await reconcile()).toMatchObject({ ok: true, differences: [] });
  };

  it('two edges share one balance and one key: every request charged once, holds named by their grant, nothing lent once idle', async () => {
    const start = 1_000_000n;
    const customer = await createCustomer(suite, { balance: formatMoney(start), key: { rpm_limit: 10_000 } });
    const warmUp = await warmBoth(customer, SLOW);

    const holdsSeen = sampling(() => holdsOf(customer.userId));
    const grantsSeen = sampling(() => grantsOf(customer.userId));
    const accountsSeen = sampling(() => accountOf(customer.userId));
    const reconcilesSeen = sampling(reconcile);
    const answers = await inPool(400, 50, (i) => chat(edges[i % 2], customer.key, SLOW)).finally(() =>
      Promise.all([holdsSeen.stop(), grantsSeen.stop(), accountsSeen.stop(), reconcilesSeen.stop()]),
    );
    const holds = (await holdsSeen.stop()).flat();
    const grants = new Map((await grantsSeen.stop()).flat().map((grant) => [grant.id, grant]));
    const accounts = await accountsSeen.stop();
    const reconciles = await reconcilesSeen.stop();

    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    const made = [...warmUp.answers, ...answers];
    const ledger = await expectBooksBalanced(suite, customer.userId);
    expect(wrongCharges(made, ledger)).toEqual([]);
    expect(ledger.filter((entry) => entry.type === 'charge')).toHaveLength(made.length);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(start - COST * BigInt(made.length));

    // Requests admitted from grants on both edges were recorded as holds naming their grant.
    const fromGrants = holds.filter((hold) => hold.grant_id !== null);
    expect(fromGrants.filter((hold) => !grants.has(hold.grant_id ?? ''))).toEqual([]);
    expect(new Set(fromGrants.map((hold) => grants.get(hold.grant_id ?? '')?.edge_id))).toEqual(
      new Set(warmUp.edgeIds),
    );
    const tids = new Set(made.map((answer) => answer.tid));
    expect(fromGrants.filter((hold) => !tids.has(hold.tid ?? '') || hold.model !== SLOW)).toEqual([]);
    // What was lent shows in the balance, and the books were clean at every moment they were read.
    expect(accounts.some((account) => account.granted > 0n)).toBe(true);
    expect(accounts.filter((account) => account.available !== account.balance - account.granted)).toEqual([]);
    expect(reconciles.filter((report) => !report.ok)).toEqual([]);

    // Idle grants go back, and are closed once their admissions are all recorded.
    await untilNothingLent(customer.userId, GRANT_IDLE_MS + CLOSE_MARGIN_MS);
  }, 120_000);

  describe('a limit for K admits exactly K of 200 concurrent requests across both edges, with grants in play', () => {
    const K = 60;

    it('on a balance left at K requests by a staff debit', async () => {
      const customer = await createCustomer(suite, { balance: '0.010000', key: { rpm_limit: 10_000 } });
      const warmUp = await warmBoth(customer);
      await untilAllSettled(suite, customer.userId, 20_000);
      const { balance } = await balanceOf(suite, customer.userId);
      const debit = await suite.admin('POST', `/admin/v1/users/${customer.userId}/adjustments`, {
        amount: formatMoney(COST * BigInt(K) - balance),
        reason: 'correction',
        idempotency_key: `debit-${randomUUID()}`,
      });
      expect(debit.status).toBe(201);
      expect((await balanceOf(suite, customer.userId)).balance).toBe(COST * BigInt(K));

      const answers = await burst(customer.key, 200);
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(K);
      const refused = answers.filter((answer) => answer.status === 403 && answer.body.error?.message === QUOTA);
      expect(refused).toHaveLength(200 - K);
      const ledger = await expectBooksBalanced(suite, customer.userId);
      expect(wrongCharges([...warmUp.answers, ...answers], ledger)).toEqual([]);
      expect((await balanceOf(suite, customer.userId)).balance).toBe(0n);
    });

    it("on the key's budget", async () => {
      // The budget is the key's from the start: the warm edges' slices of it are still open when the burst comes.
      const budgetRequests = 100;
      const start = 1_000_000n;
      const customer = await createCustomer(suite, {
        balance: formatMoney(start),
        key: { rpm_limit: 10_000, budget: formatMoney(COST * BigInt(budgetRequests)) },
      });
      const warmUp = await warmBoth(customer);
      const left = budgetRequests - warmUp.answers.length;
      expect(openGrants(await grantsOf(customer.userId), customer)).toHaveLength(2);

      const answers = await burst(customer.key, 200);
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(left);
      const refused = answers.filter(
        (answer) => answer.status === 403 && answer.body.error?.code === 'insufficient_key_quota',
      );
      expect(refused).toHaveLength(200 - left);
      const ledger = await expectBooksBalanced(suite, customer.userId);
      expect(wrongCharges([...warmUp.answers, ...answers], ledger)).toEqual([]);
      expect((await balanceOf(suite, customer.userId)).balance).toBe(start - COST * BigInt(budgetRequests));
    });

    it("on the key's rate limit", async () => {
      const limit = 100;
      // Every request of this test must count in one one-minute window (aligned on the clock): start early in one.
      await eventually(() => expect(Date.now() % 60_000).toBeLessThan(20_000), { timeoutMs: 61_000, intervalMs: 200 });
      const customer = await createCustomer(suite, { balance: '1', key: { rpm_limit: limit } });
      const warmUp = await warmBoth(customer);

      const answers = await burst(customer.key, 200);
      const served = answers.filter((answer) => answer.status === 200);
      expect(warmUp.answers.length + served.length).toBe(limit);
      expect(answers.filter((answer) => answer.status === 429)).toHaveLength(200 - served.length);
      const ledger = await expectBooksBalanced(suite, customer.userId);
      expect(wrongCharges([...warmUp.answers, ...answers], ledger)).toEqual([]);
    }, 120_000);
  });

  it('applies a staff debit under steady load on both edges within the bound, never below zero', async () => {
    const start = 20_000n;
    const customer = await createCustomer(suite, { balance: formatMoney(start), key: { rpm_limit: 1_000_000 } });
    const accountsSeen = sampling(() => accountOf(customer.userId));
    const loads = edges.map((edgeUrl) =>
      startChatLoad({ edgeUrl, key: customer.key, model: STEADY, clients: 3, maxTokens: MAX_TOKENS }),
    );
    let requests: LoadRequest[];
    try {
      // Both edges admit from grants: the grants open then are the slices of the money before the debit.
      const lentBefore = await eventually(
        async () => {
          for (const load of loads) expect(load.served()).toBeGreaterThanOrEqual(30);
          const open = openGrants(await grantsOf(customer.userId), customer);
          expect(new Set(open.map((grant) => grant.edge_id)).size).toBe(2);
          return new Set(open.map((grant) => grant.id));
        },
        { timeoutMs: 15_000 },
      );
      // Room for 200 more requests once the debit applies, less what the load spends while it is on its way.
      const { balance } = await balanceOf(suite, customer.userId);
      const debit = await suite.admin('POST', `/admin/v1/users/${customer.userId}/adjustments`, {
        amount: formatMoney(COST * 200n - balance),
        reason: 'correction under load',
        idempotency_key: `debit-${randomUUID()}`,
      });
      expect(debit.status).toBe(201);
      // No edge goes on admitting from a slice of the money as it was before the debit.
      await untilNoOpenGrant(customer, lentBefore, PROPAGATION_MS);
      // The load runs on until the money is gone.
      await eventually(async () => expect((await accountOf(customer.userId)).balance).toBeLessThan(COST), {
        timeoutMs: 15_000,
      });
    } finally {
      requests = (await Promise.all(loads.map((load) => load.stop()))).flat();
      await accountsSeen.stop();
    }
    const accounts = await accountsSeen.stop();

    const ledger = await expectBooksBalanced(suite, customer.userId);
    expect(accounts.filter((account) => account.balance < 0n || account.available < 0n)).toEqual([]);
    const final = (await balanceOf(suite, customer.userId)).balance;
    expect(final).toBeGreaterThanOrEqual(0n);
    const debitEntry = ledger.find((entry) => entry.reason === 'correction under load');
    expect(debitEntry).toBeDefined();
    const charged = requests.filter((request) => request.status === 200).length;
    expect(final).toBe(start + micros(debitEntry?.amount ?? '0') - COST * BigInt(charged));
    expect(requests.filter((request) => request.status !== 200 && request.status !== 403)).toEqual([]);
    expect(wrongCharges(asAnswers(requests), ledger)).toEqual([]);
    await untilNothingLent(customer.userId, GRANT_IDLE_MS + CLOSE_MARGIN_MS);
  }, 90_000);

  it('applies a suspension on both edges within the bound and closes the user’s grants', async () => {
    const customer = await createCustomer(suite, { balance: '1', key: { rpm_limit: 10_000 } });
    await warmBoth(customer);
    const suspended = await suite.admin('PATCH', `/admin/v1/users/${customer.userId}`, { status: 'suspended' });
    expect(suspended.status).toBe(200);
    await Promise.all(
      edges.map((edge) =>
        eventually(async () => {
          const answer = await chat(edge, customer.key);
          expect([answer.status, answer.body.error?.message]).toEqual([403, 'Account suspended.']);
        }, PROPAGATION),
      ),
    );
    // Once refused, always refused: no slice left on either edge admits another request.
    const after = await Promise.all([...edges, ...edges, ...edges].map((edge) => chat(edge, customer.key)));
    expect(after.map((answer) => answer.status)).toEqual(after.map(() => 403));
    await untilNothingLent(customer.userId, GRANT_VALIDITY_MS + GRANT_CLOSE_GRACE_MS + CLOSE_MARGIN_MS);
    await expectBooksBalanced(suite, customer.userId);
  });

  it('applies a revocation on both edges within the bound and returns the key’s grants', async () => {
    const customer = await createCustomer(suite, { balance: '1', key: { rpm_limit: 10_000 } });
    const { edgeIds } = await warmBoth(customer);
    expect(new Set(edgeIds).size).toBe(2);
    expect((await suite.admin('POST', `/admin/v1/keys/${customer.keyId}/revoke`)).status).toBe(200);
    await Promise.all(
      edges.map((edge) =>
        eventually(async () => expect((await chat(edge, customer.key)).status).toBe(401), PROPAGATION),
      ),
    );
    await untilNoOpenGrant(customer, null, PROPAGATION_MS);
    const after = await Promise.all([...edges, ...edges, ...edges].map((edge) => chat(edge, customer.key)));
    expect(after.map((answer) => answer.status)).toEqual(after.map(() => 401));
    await untilNothingLent(customer.userId, GRANT_VALIDITY_MS + GRANT_CLOSE_GRACE_MS + CLOSE_MARGIN_MS);
    await expectBooksBalanced(suite, customer.userId);
  });

  it("serves a cold edge's last requests from the slice a warm edge gives back", async () => {
    // 40 requests' worth: edge A's grant takes a good part of it, edge B then needs all that is left.
    const start = COST * 40n;
    const customer = await createCustomer(suite, { balance: formatMoney(start), key: { rpm_limit: 10_000 } });
    const [warmEdge, coldEdge] = edges;
    const warmUp = await warm(warmEdge, customer, MODEL, new Set());
    await untilAllSettled(suite, customer.userId, 20_000);
    const account = await accountOf(customer.userId);
    const left = Number((start - COST * BigInt(warmUp.answers.length)) / COST);
    expect(account.balance).toBe(COST * BigInt(left));
    // What B needs is more than what A's slice leaves free: B is served to the end only if A gives it back.
    expect(account.granted).toBeGreaterThan(0n);
    expect(account.available).toBeLessThan(COST * BigInt(left));

    const answers: Answer[] = [];
    while (answers.length <= left) {
      const answer = await chat(coldEdge, customer.key);
      answers.push(answer);
      if (answer.status !== 200) break;
    }
    expect(answers.map((answer) => [answer.status, answer.body.error?.message ?? null])).toEqual([
      ...Array.from({ length: left }, () => [200, null]),
      [403, QUOTA],
    ]);
    expect(openGrants(await grantsOf(customer.userId), customer).filter((g) => g.edge_id === warmUp.edgeId)).toEqual(
      [],
    );
    const ledger = await expectBooksBalanced(suite, customer.userId);
    expect(wrongCharges([...warmUp.answers, ...answers], ledger)).toEqual([]);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(0n);
  });
});
