import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent } from 'node:http';
import fc from 'fast-check';
import { IdempotencyKey, validatorFor, type RouteDeclaration } from '@tollgate/contracts';
import { EDGE_ROUTES } from '../apps/edge/src/admin/openapi.document.js';
import { violationsOf } from './support/fuzz/answer-check.js';
import { planJobs, runJobs } from './support/fuzz/fuzz-campaign.js';
import { requestsFor, type FuzzRequest, type FuzzTargets } from './support/fuzz/fuzz-request.js';
import { REGRESSIONS } from './support/fuzz/fuzz-regressions.js';
import { fuzzSeeds } from './support/fuzz/fuzz-seeds.js';
import { rawExchange } from './support/fuzz/raw-exchange.js';
import type { ValueContext } from './support/fuzz/schema-values.js';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { expectBooksBalanced } from './support/ledger.js';
import { useSuite } from './support/suite.js';

/** Small, so that bodies over it cost little to send; the rules do not depend on its size. */
const BODY_LIMIT_BYTES = 64 * 1024;
const TOTAL_CASES = 10_000;
/** Requests in flight at once, across routes. */
const CONCURRENCY = 16;
const SERVED_MODEL = 'fuzz-served';
const SERVICES = ['auth', 'router', 'billing', 'edge'] as const;

/**
 * Every route the edge serves, fed requests generated from its own
 * declaration and then spoiled: wrong types, huge numbers, deep nests,
 * hostile text, missing and unknown fields, duplicate keys, wrong content
 * types, oversized bodies, bad encodings, odd headers, with the right key, the
 * wrong one or none. Whatever arrives, the edge answers as documented, no
 * service falls over and the books still balance.
 */
describe('fuzzing every route', () => {
  // Rate limits high enough that the cases reach the upstream rather than a 429.
  const suite = useSuite({
    env: { BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES), DEFAULT_KEY_RPM: '1000000', DEFAULT_USER_RPM: '1000000' },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let customer: Customer;
  let victim: Customer;
  let targets: FuzzTargets;
  let context: ValueContext;
  const startedPids: Record<string, (number | undefined)[]> = {};

  beforeAll(async () => {
    await createChannel(suite, { models: [SERVED_MODEL] });
    await setPrice(suite, SERVED_MODEL);
    customer = await createCustomer(suite, { balance: '1000000' });
    // The fuzzer's targets on the admin API: it may suspend, re-key or delete them, never the customer.
    victim = await createCustomer(suite, { balance: '100', group: 'fuzz-group' });
    const victimChannel = await createChannel(suite, { models: ['fuzz-victim-model'] });
    const upstreamBaseUrl = `${suite.fake.url}/v1`;
    targets = {
      rootKey: suite.rootKey,
      customerKey: customer.key,
      servedModel: SERVED_MODEL,
      pinnedChannel: String(victimChannel),
      adminFixtures: {
        user_id: victim.userId,
        key_id: victim.keyId,
        id: String(victimChannel),
        model: 'fuzz-victim-model',
        group: 'fuzz-group',
      },
      upstreamBaseUrl,
      bodyLimitBytes: BODY_LIMIT_BYTES,
      // Requests Fastify and Node refuse before the edge's own checks (bad %-encoding, over-long
      // parameters and headers): they must come out in the error shape too.
      frameworkCases: true,
    };
    const generousTimeout = fc.oneof(fc.constant(null), fc.integer({ min: 30_000, max: 3_600_000 }));
    context = {
      formats: {
        uuid: fc.uuid(),
        'date-time': fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((date) => date.toISOString()),
        date: fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((date) => date.toISOString().slice(0, 10)),
        email: fc.emailAddress(),
        // Channels the fuzzer makes call the fake provider: no request ever leaves this machine.
        uri: fc.constant(upstreamBaseUrl),
        // Keys of any printable text the key's rules accept (its format checks them again in NFC).
        'idempotency-key': fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
          .filter(validatorFor(IdempotencyKey()).is),
        'ip-range': fc.oneof(
          fc.ipV4(),
          fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, bits]) => `${ip}/${bits}`),
          fc.ipV6(),
        ),
      },
      // The fuzzer never tells an upstream to fail: the timeouts it gives channels are generous.
      fields: {
        'timeouts.connect_ms': generousTimeout,
        'timeouts.first_byte_ms': generousTimeout,
        'timeouts.idle_ms': generousTimeout,
      },
    };
    for (const service of SERVICES) startedPids[service] = suite.processes(service).map((p) => p.child.pid);
  });

  afterAll(() => agent.destroy());

  const contextFor = (route: RouteDeclaration): ValueContext =>
    route.access === 'key'
      ? { ...context, fields: { ...context.fields, model: fc.oneof(fc.constant(SERVED_MODEL), fc.string()) } }
      : context;

  const check = async (route: RouteDeclaration, request: FuzzRequest): Promise<void> => {
    const answer = await rawExchange(suite.edgeUrl, agent, request);
    const problems = violationsOf(route, request, answer);
    if (problems.length > 0) {
      throw new Error(`${problems.join('; ')}\n  answer: ${answer.status} ${answer.text.slice(0, 600)}`);
    }
  };

  // Every case the fuzzer ever found, first: cheap, and they name what broke.
  it.each(REGRESSIONS)('regression: $name', async ({ operationId, requests }) => {
    const route = EDGE_ROUTES.find((candidate) => candidate.operationId === operationId);
    if (!route) throw new Error(`no route ${operationId}`);
    for (const request of requests(targets)) await expect(check(route, request)).resolves.toBeUndefined();
  });

  it(`answers ${TOTAL_CASES} generated requests as documented, and nothing falls over`, async () => {
    const seeds = fuzzSeeds();
    const jobs = planJobs({ routes: EDGE_ROUTES, seeds, totalCases: TOTAL_CASES, jobSize: 50 });
    const cases = jobs.reduce((sum, job) => sum + job.numRuns, 0);
    console.log(
      `fuzz: seeds ${seeds.join(',')} (FUZZ_SEED=${seeds.join(',')} repeats this run), ${cases} cases over ${EDGE_ROUTES.length} routes`,
    );
    const failures = await runJobs({
      jobs,
      concurrency: CONCURRENCY,
      requests: (route) => requestsFor(route, targets, contextFor(route)),
      check,
    });
    const reports = failures.map(
      ({ job, report }) => `${job.route.method.toUpperCase()} ${job.route.path} (job seed ${job.seed}):\n${report}`,
    );
    expect(reports).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(TOTAL_CASES);

    // No service restarted or died on the way.
    for (const service of SERVICES) {
      const now = suite.processes(service);
      expect(now.map((p) => p.child.pid)).toEqual(startedPids[service]);
      expect(now.map((p) => p.child.exitCode ?? p.child.signalCode)).toEqual(now.map(() => null));
    }
    await expectBooksBalanced(suite, customer.userId);
    await expectBooksBalanced(suite, victim.userId);
  }, 600_000);
});
