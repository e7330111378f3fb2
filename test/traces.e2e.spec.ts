import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { eventually } from '@tollgate/testing';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { useSuite, type SuiteOptions } from './support/suite.js';

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;
const UPSTREAM_KEY = 'sk-upstream-secret-0000';
/** A query's span, from @opentelemetry/instrumentation-pg (`pg.query:<verb> <database>`). */
const isQuery = (span: ReceivedSpan) => span.name.startsWith('pg.query:');

/**
 * OpenTelemetry across HTTP and NATS, received as a collector would receive
 * it: every service exports to a local OTLP/HTTP receiver, and one request's
 * spans — the edge's, each service's handler, PostgreSQL queries, the
 * upstream call — form one trace whose id is the request's tid.
 */
describe('traces: one request is one trace across edge, auth, router, billing and the upstream', () => {
  const options: SuiteOptions = {};
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    options.env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
  });
  const suite = useSuite(options);
  afterAll(() => receiver.close());

  let customer: Customer;
  beforeAll(async () => {
    // Two channels: the first attempt fails (a 500 queued at the fake), the retry succeeds, and the
    // failure reaches the router as an outcome report — so the router takes part in the request.
    await createChannel(suite, { models: ['traced'] });
    await createChannel(suite, { models: ['traced'] });
    await setPrice(suite, 'traced', '1', '1');
    customer = await createCustomer(suite, { balance: '10' });
  });

  /** Waits until the trace holds a span matching each check, then returns all of its spans. */
  const eventuallyTrace = (tid: string, expected: Array<[string, (span: ReceivedSpan) => boolean]>) =>
    eventually(
      () => {
        const spans = receiver.trace(tid);
        const missing = expected.filter(([, matches]) => !spans.some(matches)).map(([what]) => what);
        if (missing.length > 0) {
          const seen = spans.map((span) => `${span.service} ${span.name}`).join(', ');
          throw new Error(`trace ${tid} lacks: ${missing.join('; ')} (has: ${seen || 'nothing'})`);
        }
        return spans;
      },
      { timeoutMs: 15_000 },
    );

  it('makes the tid the trace id and links every span to its parent: edge → auth, billing, router, upstream, queries', async () => {
    suite.fake.enqueue([{ status: 500 }]);
    const client = new OpenAI({ apiKey: customer.key, baseURL: `${suite.edgeUrl}/v1`, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'traced', messages: [{ role: 'user', content: 'trace me' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    const tid = response.headers.get('x-tid') ?? '';
    expect(tid).toMatch(/^[0-9a-f]{32}$/);

    const spans = await eventuallyTrace(tid, [
      ['the edge request span', (s) => s.service === 'tollgate-edge' && s.kind === SERVER && s.parentSpanId === ''],
      ['auth authenticate', (s) => s.service === 'tollgate-auth' && s.name === 'tollgate.auth.authenticate'],
      ['billing reserve', (s) => s.service === 'tollgate-billing' && s.name === 'tollgate.billing.reserve'],
      ['billing settlement', (s) => s.service === 'tollgate-billing' && s.name === 'settle hold'],
      ['router outcome', (s) => s.service === 'tollgate-router' && s.name === 'record upstream outcome'],
      ['two upstream calls', (s) => s.service === 'tollgate-edge' && s.kind === CLIENT],
      ['an auth query', (s) => s.service === 'tollgate-auth' && isQuery(s)],
      ['a billing query', (s) => s.service === 'tollgate-billing' && isQuery(s)],
    ]);

    const root = spans.find((s) => s.parentSpanId === '');
    expect(root).toMatchObject({ name: 'POST /v1/chat/completions', kind: SERVER });
    expect(root?.attributes['http.response.status_code']).toBe(200);
    // One root: every other span's parent is a span of the same trace.
    const ids = new Set(spans.map((s) => s.spanId));
    expect(spans.filter((s) => s.parentSpanId === '')).toHaveLength(1);
    expect(spans.filter((s) => s.parentSpanId !== '' && !ids.has(s.parentSpanId))).toEqual([]);

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (span: ReceivedSpan) => byId.get(span.parentSpanId);
    // Each service's handler span is a child of the edge's request span.
    for (const name of ['tollgate.auth.authenticate', 'tollgate.billing.reserve']) {
      const handler = spans.find((s) => s.name === name);
      expect({ name, kind: handler?.kind, parent: parentOf(handler!)?.spanId }).toEqual({
        name,
        kind: SERVER,
        parent: root?.spanId,
      });
    }
    for (const name of ['settle hold', 'record upstream outcome']) {
      const handler = spans.find((s) => s.name === name);
      expect({ name, kind: handler?.kind, parent: parentOf(handler!)?.service }).toEqual({
        name,
        kind: CONSUMER,
        parent: 'tollgate-edge',
      });
    }
    // The upstream calls: a 500, then the answer; children of the request span.
    const upstream = spans.filter((s) => s.kind === CLIENT && s.service === 'tollgate-edge');
    expect(upstream.map((s) => s.attributes['http.response.status_code']).sort()).toEqual([200, 500]);
    for (const call of upstream) expect(parentOf(call)?.spanId).toBe(root?.spanId);
    // Queries are children of their service's handler span, never orphans of a batch.
    for (const query of spans.filter(isQuery)) {
      expect({ query: query.name, parentService: parentOf(query)?.service }).toEqual({
        query: query.name,
        parentService: query.service,
      });
    }
  });

  it("continues a client's traceparent: its trace id becomes the tid, its span the edge span's parent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const response = await fetch(`${suite.edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${customer.key}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${parentId}-01`,
      },
      body: JSON.stringify({ model: 'traced', messages: [{ role: 'user', content: 'continue my trace' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-tid')).toBe(traceId);
    const spans = await eventuallyTrace(traceId, [
      ['the edge request span', (s) => s.service === 'tollgate-edge' && s.kind === SERVER],
      ['billing reserve', (s) => s.service === 'tollgate-billing' && s.name === 'tollgate.billing.reserve'],
    ]);
    expect(spans.find((s) => s.service === 'tollgate-edge' && s.kind === SERVER)?.parentSpanId).toBe(parentId);
  });

  it('names a refusal on its span, and exports no key, secret or prompt', async () => {
    const response = await fetch(`${suite.edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-not-a-key-of-this-gateway', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'traced', messages: [{ role: 'user', content: 'secret prompt text' }] }),
    });
    expect(response.status).toBe(401);
    const tid = response.headers.get('x-tid') ?? '';
    const spans = await eventuallyTrace(tid, [
      [
        'the refused auth check',
        (s) => s.name === 'tollgate.auth.authenticate' && s.attributes['tollgate.outcome'] !== 'ok',
      ],
      ['the edge span', (s) => s.service === 'tollgate-edge' && s.kind === SERVER],
    ]);
    expect(spans.find((s) => s.kind === SERVER && s.service === 'tollgate-edge')?.attributes).toMatchObject({
      'http.response.status_code': 401,
      'tollgate.denial': expect.any(String),
    });
    const exported = receiver.bodies.join('\n');
    for (const secret of [customer.key, suite.rootKey, UPSTREAM_KEY, 'sk-not-a-key-of-this-gateway', 'trace me']) {
      expect(exported.includes(secret) ? secret : 'absent').toBe('absent');
    }
    expect(exported).not.toContain('secret prompt text');
  });
});
