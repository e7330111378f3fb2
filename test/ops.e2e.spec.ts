import { beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@tollgate/testing';
import type { SuiteService } from '../tools/launcher/src/service-processes.js';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { ledgerOf, micros, untilAllSettled } from './support/ledger.js';
import { parsePrometheusText, sumOf, type Sample } from './support/prometheus-text.js';
import { useSuite } from './support/suite.js';

const METRICS_TOKEN = 'ops-scrape-token-for-tests';

/**
 * The ops port of every service, as an ops team uses it: Prometheus scrapes
 * /metrics (with a bearer token), the orchestrator probes /livez and /readyz.
 * After one success, one denial and one streamed request through the edge,
 * each service's /metrics shows its families with the values those requests
 * must have produced — tokens as the upstream reported them, spend equal to
 * the ledger's charges.
 */
describe('metrics and probes on every service', () => {
  const suite = useSuite({ env: { OPS_METRICS_TOKEN: METRICS_TOKEN } });
  let channelId: number;
  let customer: Customer;
  const urls = {} as Record<SuiteService, string>;

  beforeAll(async () => {
    channelId = await createChannel(suite, { models: ['metered'] });
    await setPrice(suite, 'metered', '1', '2');
    customer = await createCustomer(suite, { balance: '10' });
    for (const service of ['edge', 'auth', 'router', 'billing'] as const) {
      const [process] = suite.processes(service);
      if (!process) throw new Error(`no ${service} process`);
      urls[service] = await suite.opsUrl(process);
    }
  });

  const scrape = async (service: SuiteService): Promise<{ families: Set<string>; samples: Sample[] }> => {
    const response = await fetch(`${urls[service]}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return parsePrometheusText(await response.text());
  };

  const chat = (key: string, body: Record<string, unknown>) =>
    fetch(`${suite.edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'metered', messages: [{ role: 'user', content: 'Hello there' }], ...body }),
    });

  it('each service is live, and ready while its dependencies answer', async () => {
    for (const service of ['edge', 'auth', 'router', 'billing'] as const) {
      const live = await fetch(`${urls[service]}/livez`);
      expect(live.status).toBe(200);
      const ready = await fetch(`${urls[service]}/readyz`);
      const body = (await ready.json()) as { ready: boolean; dependencies: Record<string, { ok: boolean }> };
      expect({ service, status: ready.status, ready: body.ready }).toEqual({ service, status: 200, ready: true });
      expect(Object.keys(body.dependencies).sort()).toEqual(
        service === 'edge' ? ['auth', 'billing', 'nats', 'router'] : ['nats', 'postgres'],
      );
    }
  });

  it('/metrics needs the bearer token when OPS_METRICS_TOKEN is set; the probes do not; unknown paths are 404', async () => {
    expect((await fetch(`${urls.billing}/metrics`)).status).toBe(401);
    expect((await fetch(`${urls.billing}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${urls.billing}/nothing`)).status).toBe(404);
    expect((await fetch(`${urls.billing}/livez`, { method: 'POST' })).status).toBe(405);
    // The public port shows no metrics.
    expect((await fetch(`${suite.edgeUrl}/metrics`)).status).toBe(404);
  });

  it('a success, a denial and a stream show in the families of every service', async () => {
    const success = await chat(customer.key, { max_tokens: 7 });
    expect(success.status).toBe(200);
    const answer = (await success.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };

    const denied = await chat('sk-not-a-key-at-all-000000000000000000000000000000000', {});
    expect(denied.status).toBe(401);
    await denied.arrayBuffer();

    const streamed = await chat(customer.key, {
      max_tokens: 5,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(streamed.status).toBe(200);
    const events = await streamed.text();
    const streamUsage = events
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)) as { usage?: { prompt_tokens: number; completion_tokens: number } })
      .find((chunk) => chunk.usage)?.usage;
    expect(streamUsage).toBeDefined();

    await untilAllSettled(suite, customer.userId, 15_000);
    const charged = (await ledgerOf(suite, customer.userId))
      .filter((entry) => entry.type === 'charge')
      .reduce((total, entry) => total - micros(entry.amount), 0n);
    expect(charged).toBeGreaterThan(0n);

    const channel = String(channelId);
    const edge = await eventually(
      async () => {
        const scraped = await scrape('edge');
        // onResponse runs after the last byte: wait until all three are counted.
        expect(sumOf(scraped.samples, 'tollgate_http_requests_total', { route: '/v1/chat/completions' })).toBe(3);
        return scraped;
      },
      { timeoutMs: 5000 },
    );
    const e = edge.samples;
    expect(sumOf(e, 'tollgate_requests_total', { model: 'metered', channel, dialect: 'openai', status: '200' })).toBe(
      2,
    );
    expect(sumOf(e, 'tollgate_request_duration_seconds_count', { dialect: 'openai', stream: 'true' })).toBe(1);
    expect(sumOf(e, 'tollgate_request_duration_seconds_count', { dialect: 'openai', stream: 'false' })).toBe(1);
    expect(sumOf(e, 'tollgate_upstream_duration_seconds_count', { channel, outcome: '2xx' })).toBe(2);
    expect(sumOf(e, 'tollgate_time_to_first_token_seconds_count', { channel })).toBe(1);
    expect(sumOf(e, 'tollgate_denials_total', { reason: 'invalid_access_token' })).toBe(1);
    expect(sumOf(e, 'tollgate_auth_cache_lookups_total', { result: 'miss' })).toBeGreaterThanOrEqual(1);
    expect(sumOf(e, 'tollgate_auth_cache_lookups_total', { result: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(sumOf(e, 'tollgate_admissions_total')).toBe(2);
    expect(edge.families).toContain('tollgate_retries_total');
    expect(sumOf(e, 'tollgate_process_resident_memory_bytes', { service: 'edge' })).toBeGreaterThan(0);

    const billing = (await scrape('billing')).samples;
    const input = answer.usage.prompt_tokens + (streamUsage?.prompt_tokens ?? 0);
    const output = answer.usage.completion_tokens + (streamUsage?.completion_tokens ?? 0);
    expect(sumOf(billing, 'tollgate_tokens_total', { model: 'metered', kind: 'input' })).toBe(input);
    expect(sumOf(billing, 'tollgate_tokens_total', { model: 'metered', kind: 'output' })).toBe(output);
    expect(sumOf(billing, 'tollgate_spend_micros_total', { model: 'metered' })).toBe(Number(charged));
    expect(sumOf(billing, 'tollgate_settlements_total', { outcome: 'settled' })).toBe(2);
    expect(sumOf(billing, 'tollgate_stream_lag_seconds_count', { carries: 'settlement' })).toBeGreaterThanOrEqual(1);
    expect(sumOf(billing, 'tollgate_stream_backlog_messages', { carries: 'settlement' })).toBe(0);
    expect(sumOf(billing, 'tollgate_holds_open')).toBe(0);
    // Two reserves in a row make the edge ask for a credit grant (EdgeGrants): the gauge counts what billing lists.
    // Read together until a grant's close does not fall between the two reads.
    await eventually(async () => {
      const grants = await suite.admin<{ data: Array<{ status: string }> }>(
        'GET',
        `/admin/v1/users/${customer.userId}/grants`,
      );
      const live = sumOf((await scrape('billing')).samples, 'tollgate_grants_live');
      expect(live).toBe(grants.body.data.filter((g) => g.status !== 'closed').length);
    });
    expect(
      sumOf(billing, 'tollgate_nats_message_duration_seconds_count', { subject: 'tollgate.billing.reserve' }),
    ).toBeGreaterThanOrEqual(2);

    const auth = (await scrape('auth')).samples;
    expect(
      sumOf(auth, 'tollgate_nats_messages_total', { subject: 'tollgate.auth.authenticate', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sumOf(auth, 'tollgate_nats_messages_total', {
        subject: 'tollgate.auth.authenticate',
        outcome: 'invalid_access_token',
      }),
    ).toBe(1);

    const router = (await scrape('router')).samples;
    expect(sumOf(router, 'tollgate_channel_state', { channel, state: 'healthy' })).toBe(1);
    expect(sumOf(router, 'tollgate_channel_state', { channel, state: 'circuit_open' })).toBe(0);

    // No user or key id is a label anywhere.
    for (const samples of [e, billing, auth, router]) {
      const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
      expect(labelValues).not.toContain(customer.userId);
      expect(labelValues).not.toContain(customer.keyId);
    }
  });

  it('the edge is not ready once no auth replica answers, and ready again when one does', async () => {
    await suite.stopService('auth');
    await eventually(
      async () => {
        const ready = await fetch(`${urls.edge}/readyz`);
        const body = (await ready.json()) as { dependencies: Record<string, { ok: boolean }> };
        expect(ready.status).toBe(503);
        expect(body.dependencies.auth?.ok).toBe(false);
        expect(body.dependencies.billing?.ok).toBe(true);
      },
      { timeoutMs: 10_000 },
    );
    await suite.startService('auth');
    await eventually(async () => expect((await fetch(`${urls.edge}/readyz`)).status).toBe(200), {
      timeoutMs: 20_000,
    });
  });
});
