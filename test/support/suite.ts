import { afterAll, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually, lateBound, privateNatsServer, TestDatabase, type PrivateNats } from '@tollgate/testing';
import { startFakeProvider, type FakeProvider } from '../../tools/fake-provider/src/index.js';
import { assertDocumented } from './openapi-conformance.js';
import {
  freePort,
  spawnService,
  stopProcess,
  type ServiceProcess,
  type SuiteService,
} from '../../tools/launcher/src/service-processes.js';

/**
 * The whole suite for one test file, as real processes: a private
 * nats-server on a free port (JetStream in a temporary directory), a fresh
 * PostgreSQL database on the test server (TEST_DATABASE_URL), the four compiled services,
 * and the fake provider in-process. `stop()` ends every process it started
 * and drops the database.
 */
export interface Suite {
  edgeUrl: string;
  rootKey: string;
  natsUrl: string;
  databaseUrl: string;
  fake: FakeProvider;
  /** Every process of a service (replicas included), in start order. */
  processes(service: SuiteService): ServiceProcess[];
  /** All log output of a service so far. */
  logs(service: SuiteService): string;
  startService(service: SuiteService, extraEnv?: NodeJS.ProcessEnv): Promise<ServiceProcess>;
  stopService(service: SuiteService): Promise<void>;
  /** SIGKILL to every process of a service, as a crash would: no graceful stop, nothing flushed. */
  killService(service: SuiteService): Promise<void>;
  /** SIGKILL to one process the suite started (one edge of several, say), as a crash would. */
  killProcess(process: ServiceProcess): Promise<void>;
  /**
   * One more edge replica on a free port, answering /healthz when this
   * resolves; stopped with the suite (or killed with killProcess).
   */
  startEdge(extraEnv?: NodeJS.ProcessEnv): Promise<Edge>;
  /** Restarts the suite's nats-server on the same port, JetStream's store kept (see PrivateNats). */
  restartNats(): Promise<void>;
  /** An admin API call with the root key (or another key). */
  admin<T = unknown>(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** An edge replica the suite started besides the first one (which serves `edgeUrl`). */
export interface Edge {
  url: string;
  process: ServiceProcess;
}

export interface SuiteOptions {
  replicas?: Partial<Record<Exclude<SuiteService, 'edge'>, number>>;
  env?: NodeJS.ProcessEnv;
}

const ROOT = resolve(import.meta.dirname, '../..');
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomKey(): string {
  return `sk-${Array.from(randomBytes(48), (b) => BASE62[b % 62]).join('')}`;
}

export async function startSuite(options: SuiteOptions = {}): Promise<Suite> {
  const workDir = mkdtempSync(join(tmpdir(), 'tollgate-e2e-'));
  const edgePort = await freePort();
  const rootKey = randomKey();
  const running: ServiceProcess[] = [];
  let nats: PrivateNats | undefined;
  let database: TestDatabase | undefined;
  let fake: FakeProvider | undefined;

  const stop = async (): Promise<void> => {
    await Promise.all(running.map((p) => stopProcess(p.child)));
    await nats?.stop();
    await fake?.close();
    await database?.drop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  };

  try {
    nats = await privateNatsServer();
    database = await TestDatabase.create('tollgate_e2e');
    fake = await startFakeProvider({ port: 0 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NATS_URL: nats.url,
      DATABASE_URL: database.url,
      DATA_DIR: workDir,
      TOLLGATE_ROOT_KEY: rootKey,
      EDGE_HOST: '127.0.0.1',
      EDGE_PORT: String(edgePort),
      LOG_LEVEL: 'info',
      ...options.env,
    };
    const edgeUrl = `http://127.0.0.1:${edgePort}`;
    const startedNats = nats;

    const startService = async (service: SuiteService, extraEnv: NodeJS.ProcessEnv = {}) => {
      const child = spawnService(service, join(ROOT, 'dist', 'apps', service, 'main.js'), { ...env, ...extraEnv });
      running.push(child);
      return child;
    };
    const killProcess = async (target: ServiceProcess) => {
      if (!running.includes(target)) {
        throw new Error(`${target.name} (pid ${target.child.pid}) is not a process of this suite`);
      }
      target.child.kill('SIGKILL');
      await target.exited;
      running.splice(running.indexOf(target), 1);
    };
    // auth first: it creates the schema and the root user the others rely on.
    await startService('auth');
    for (const service of ['router', 'billing'] as const) {
      for (let i = 0; i < (options.replicas?.[service] ?? 1); i++) await startService(service);
    }
    for (let i = 1; i < (options.replicas?.auth ?? 1); i++) await startService('auth');
    await startService('edge');
    await eventually(
      async () => {
        const health = await fetch(`${edgeUrl}/healthz`).catch(() => null);
        if (health?.status === 200) return;
        const logs = running.map((p) => `--- ${p.name}\n${p.output().slice(-2000)}`).join('\n');
        throw new Error(`the suite is not healthy (${health?.status ?? 'no answer'}); logs:\n${logs}`);
      },
      { timeoutMs: 30_000 },
    );

    const suite: Suite = {
      edgeUrl,
      rootKey,
      natsUrl: nats.url,
      databaseUrl: database.url,
      fake,
      processes: (service) => running.filter((p) => p.name === service),
      logs: (service) =>
        running
          .filter((p) => p.name === service)
          .map((p) => p.output())
          .join(''),
      startService,
      async stopService(service) {
        const targets = running.filter((p) => p.name === service);
        await Promise.all(targets.map((p) => stopProcess(p.child)));
        for (const target of targets) running.splice(running.indexOf(target), 1);
      },
      async killService(service) {
        await Promise.all(running.filter((p) => p.name === service).map(killProcess));
      },
      killProcess,
      async startEdge(extraEnv = {}) {
        const port = await freePort();
        const started = await startService('edge', { ...extraEnv, EDGE_PORT: String(port) });
        const url = `http://127.0.0.1:${port}`;
        await eventually(
          async () => {
            const health = await fetch(`${url}/healthz`).catch(() => null);
            if (health?.status === 200) return;
            throw new Error(
              `the edge on port ${port} is not healthy (${health?.status ?? 'no answer'}); logs:\n${started.output().slice(-2000)}`,
            );
          },
          { timeoutMs: 30_000 },
        );
        return { url, process: started };
      },
      restartNats: () => startedNats.restart(),
      async admin<T>(method: string, path: string, body?: unknown, key = rootKey) {
        const response = await fetch(`${edgeUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        const parsed: unknown = text ? JSON.parse(text) : null;
        // The document the edge serves must describe every answer a test sees.
        assertDocumented({
          method,
          path,
          status: response.status,
          contentType: response.headers.get('content-type'),
          body: parsed,
        });
        return { status: response.status, body: parsed as T };
      },
      stop,
    };
    return suite;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts a suite before the file's tests and stops it after them — also when
 * start-up outlived the hook's timeout, so no process is ever left behind.
 * The returned object forwards to the running suite.
 */
export function useSuite(options: SuiteOptions = {}): Suite {
  const current = lateBound<Suite>('the suite');
  let starting: Promise<Suite> | undefined;
  beforeAll(async () => {
    starting = startSuite(options);
    current.bind(await starting);
  }, 120_000);
  afterAll(async () => {
    const suite = await starting?.catch(() => undefined);
    await suite?.stop();
  }, 60_000);
  return current.value;
}
