import { beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@tollgate/testing';
import type { SuiteService } from '../tools/launcher/src/service-processes.js';
import { createChannel, createCustomer, setPrice } from './support/fixtures.js';
import { randomKey, useSuite } from './support/suite.js';

type LogLine = Record<string, unknown>;

const SERVICES: SuiteService[] = ['edge', 'auth', 'billing', 'router'];

/** What each service logged for one tid, in order. */
type LinesByService = Record<SuiteService, LogLine[]>;

/**
 * What a support engineer does with a tid a customer quotes: grep every
 * service's JSON log lines for it. For one success, a denial by each service
 * and an upstream failure, each service the request reached has its line —
 * the edge's access line, auth's key check, billing's hold and settlement,
 * the router's record of the upstream outcome — and the services it did not
 * reach have none.
 *
 * What reaches the router per request: the edge picks channels from its own
 * copy of the routing table, so the router is not asked. It hears of a
 * request only through the edge's outcome reports — every failed upstream
 * call, and successes on a channel with a health record — each carrying its
 * request's tid (UpstreamOutcome.tid). A success on a healthy channel, and a
 * request refused before an upstream call, reach it not at all.
 */
describe('one request found by its tid in the logs of every service it reached', () => {
  const suite = useSuite();

  beforeAll(async () => {
    await createChannel(suite, { models: ['logged'] });
    // Two channels, both answering 500: the edge tries each, then answers 502.
    await createChannel(suite, { models: ['failing'] });
    await createChannel(suite, { models: ['failing'] });
    suite.fake.setDefaults({ byModel: { failing: { status: 500 } } });
    // 'nowhere' has a price and no channel: billing holds, the edge refuses it from the routing table.
    for (const model of ['logged', 'failing', 'nowhere']) await setPrice(suite, model, '1', '1');
  });

  const parse = (line: string): LogLine[] => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return []; // a line that is not JSON (none is expected) names no tid
    }
  };

  const linesFor = (tid: string): LinesByService =>
    Object.fromEntries(
      SERVICES.map((service) => [
        service,
        suite
          .logs(service)
          .split('\n')
          .filter((line) => line.includes(tid))
          .flatMap(parse)
          .filter((line) => line.tid === tid),
      ]),
    ) as LinesByService;

  /**
   * Waits for the lines that come after the answer — the edge's access line (written once the
   * response is sent), settlements, outcome batches — then returns them all.
   */
  const eventuallyLinesFor = (tid: string, settled: (lines: LinesByService) => void): Promise<LinesByService> =>
    eventually(
      () => {
        const lines = linesFor(tid);
        expect(lines.edge.map((line) => line.msg)).toContain('request');
        settled(lines);
        return lines;
      },
      { timeoutMs: 10_000 },
    );

  const chat = async (key: string, model: string) => {
    const response = await fetch(`${suite.edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5 }),
    });
    await response.arrayBuffer();
    const tid = response.headers.get('x-tid') ?? '';
    expect(tid).toMatch(/^[0-9a-f]{32}$/);
    return { status: response.status, tid };
  };

  const edgeLine = (status: number, reason?: string) =>
    expect.objectContaining({
      service: 'edge',
      msg: 'request',
      route: '/v1/chat/completions',
      status,
      ms: expect.any(Number),
      ...(reason ? { reason } : {}),
    });
  const authAccepted = (keyId: string) =>
    expect.objectContaining({
      service: 'auth',
      subject: 'tollgate.auth.authenticate',
      outcome: 'ok',
      msg: 'authenticated',
      keyId,
      ms: expect.any(Number),
    });
  const holdPlaced = (model: string) =>
    expect.objectContaining({
      subject: 'tollgate.billing.reserve',
      outcome: 'ok',
      msg: 'hold placed',
      model,
      holdId: expect.any(String),
      amountMicros: expect.any(String),
      ms: expect.any(Number),
    });
  const released = expect.objectContaining({ msg: 'settlement applied: released', holdId: expect.any(String) });

  it('a success: edge, auth and billing (the hold, then its charge); the router heard nothing of it', async () => {
    const customer = await createCustomer(suite, { balance: '10' });
    const { status, tid } = await chat(customer.key, 'logged');
    expect(status).toBe(200);

    const lines = await eventuallyLinesFor(tid, (found) =>
      expect(found.billing.map((line) => line.msg)).toContain('settlement applied: charged'),
    );
    expect(lines.edge).toEqual([edgeLine(200)]);
    expect(lines.auth).toEqual([authAccepted(customer.keyId)]);
    expect(lines.billing).toEqual([
      holdPlaced('logged'),
      expect.objectContaining({ msg: 'settlement applied: charged', chargedMicros: expect.any(String) }),
    ]);
    // Picked from the edge's routing table, and no success is reported on a channel without a health record.
    expect(lines.router).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain(customer.key);
  });

  it("an auth denial (an unknown key, 401): the edge's line and auth's refusal, and nothing in billing or router", async () => {
    const key = randomKey();
    const { status, tid } = await chat(key, 'logged');
    expect(status).toBe(401);

    const lines = await eventuallyLinesFor(tid, (found) => expect(found.auth).toHaveLength(1));
    expect(lines.edge).toEqual([edgeLine(401, 'invalid_access_token')]);
    expect(lines.auth).toEqual([
      expect.objectContaining({
        subject: 'tollgate.auth.authenticate',
        outcome: 'invalid_access_token',
        msg: 'authentication refused',
      }),
    ]);
    expect(lines.billing).toEqual([]);
    expect(lines.router).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain(key.slice(3));
  });

  it("a billing denial (insufficient quota, 403): billing's refused hold; the router heard nothing", async () => {
    const customer = await createCustomer(suite);
    const { status, tid } = await chat(customer.key, 'logged');
    expect(status).toBe(403);

    const lines = await eventuallyLinesFor(tid, (found) => expect(found.billing).toHaveLength(1));
    expect(lines.edge).toEqual([edgeLine(403, 'insufficient_user_quota')]);
    expect(lines.auth).toEqual([authAccepted(customer.keyId)]);
    expect(lines.billing).toEqual([
      expect.objectContaining({
        subject: 'tollgate.billing.reserve',
        outcome: 'insufficient_user_quota',
        msg: 'hold refused',
        model: 'logged',
      }),
    ]);
    // The pick (from the edge's table) succeeded; no upstream was called, so no outcome was reported.
    expect(lines.router).toEqual([]);
  });

  it("a router denial (no channel for the model, 503): decided at the edge from the router's table", async () => {
    const customer = await createCustomer(suite, { balance: '10' });
    const { status, tid } = await chat(customer.key, 'nowhere');
    expect(status).toBe(503);

    // Billing was asked at the same time as the pick (RequestAdmission): its hold is placed, then released.
    const lines = await eventuallyLinesFor(tid, (found) => expect(found.billing).toContainEqual(released));
    expect(lines.edge).toEqual([edgeLine(503, 'no_available_channel')]);
    expect(lines.auth).toEqual([authAccepted(customer.keyId)]);
    expect(lines.billing).toEqual([holdPlaced('nowhere'), released]);
    // The edge's copy of the routing table has no channel for the model: the router is not asked, and the
    // edge's line is where the refusal is logged (its reason).
    expect(lines.router).toEqual([]);
  });

  it("an upstream failure (500 on every channel, 502): the router's record of each failed call", async () => {
    const customer = await createCustomer(suite, { balance: '10' });
    const { status, tid } = await chat(customer.key, 'failing');
    expect(status).toBe(502);

    const lines = await eventuallyLinesFor(tid, (found) => {
      expect(found.router).toHaveLength(2);
      expect(found.billing).toContainEqual(released);
    });
    expect(lines.edge).toEqual(expect.arrayContaining([edgeLine(502, 'upstream_unavailable')]));
    expect(lines.auth).toEqual([authAccepted(customer.keyId)]);
    expect(lines.billing).toEqual([holdPlaced('failing'), released]);
    // The outcome batch names no request; each outcome in it carries its own tid, recorded under it.
    expect(lines.router).toEqual([
      expect.objectContaining({
        event: 'channel.outcome',
        status: 500,
        kind: 'failure',
        msg: 'upstream outcome recorded',
      }),
      expect.objectContaining({
        event: 'channel.outcome',
        status: 500,
        kind: 'failure',
        msg: 'upstream outcome recorded',
      }),
    ]);
    expect(new Set(lines.router.map((line) => line.channelId)).size).toBe(2);
  });
});
