import { afterEach, describe, expect, it } from '@jest/globals';
import { Counter, Registry } from 'prom-client';
import { OpsServer } from './ops-server.js';
import { Readiness, type ReadinessCheck } from './readiness.js';

const registryWithOneCounter = (): Registry => {
  const registry = new Registry();
  new Counter({ name: 'tollgate_test_total', help: 'a test counter', registers: [registry] }).inc(3);
  return registry;
};

const readiness = (checks: ReadinessCheck[], cacheMs = 0) => new Readiness(checks, { checkTimeoutMs: 100, cacheMs });

describe(OpsServer.name, () => {
  let sut: OpsServer | undefined;
  afterEach(async () => {
    await sut?.close();
    sut = undefined;
  });

  const listen = async (options: { token?: string; checks?: ReadinessCheck[] } = {}) => {
    sut = await OpsServer.listen({
      host: '127.0.0.1',
      port: 0,
      registry: registryWithOneCounter(),
      readiness: readiness(options.checks ?? []),
      metricsToken: options.token,
    });
    return sut.url;
  };

  it('serves the registry as Prometheus text on /metrics', async () => {
    const url = await listen();
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('tollgate_test_total 3');
  });

  it('answers /metrics only with the bearer token when one is set; probes stay open', async () => {
    const url = await listen({ token: 'secret-token' });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer secret-tokeN' } })).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'secret-token' } })).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer secret-token' } })).status).toBe(200);
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('names the paths it serves on a 404 and refuses other methods with 405', async () => {
    const url = await listen();
    const missing = await fetch(`${url}/health`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('/metrics, /livez, /readyz');
    const post = await fetch(`${url}/readyz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers /readyz 503 naming the dependency that failed', async () => {
    const url = await listen({
      checks: [
        { name: 'nats', check: () => Promise.resolve() },
        { name: 'postgres', check: () => Promise.reject(new Error('connection refused')) },
      ],
    });
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      ready: false,
      status: 'not_ready',
      dependencies: {
        nats: { ok: true, ms: expect.any(Number) },
        postgres: { ok: false, ms: expect.any(Number), error: 'Error: connection refused' },
      },
    });
  });

  it('names the port when it cannot listen', async () => {
    const url = await listen();
    const port = Number(new URL(url).port);
    await expect(
      OpsServer.listen({ host: '127.0.0.1', port, registry: new Registry(), readiness: readiness([]) }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe(Readiness.name, () => {
  it('counts a check that does not answer within its timeout as down', async () => {
    const sut = readiness([{ name: 'slow', check: () => new Promise(() => undefined) }]);
    const report = await sut.report();
    expect(report).toMatchObject({
      ready: false,
      dependencies: { slow: { ok: false, error: 'Error: no answer within 100 ms' } },
    });
  });

  it('answers every probe within cacheMs from one run of the checks', async () => {
    let runs = 0;
    const sut = readiness([{ name: 'counted', check: () => Promise.resolve(runs++) }], 1000);
    await Promise.all([sut.report(0), sut.report(10), sut.report(999)]);
    expect(runs).toBe(1);
    await sut.report(1001);
    expect(runs).toBe(2);
  });

  it('reports stopping, without running the checks, once the process stops', async () => {
    let runs = 0;
    const sut = readiness([{ name: 'counted', check: () => Promise.resolve(runs++) }]);
    sut.stopping();
    expect(await sut.report()).toEqual({ ready: false, status: 'stopping', dependencies: {} });
    expect(runs).toBe(0);
  });
});
