import { afterAll, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually, lateBound, privateNatsServer, TestDatabase, type PrivateNats } from '@tollgate/testing';
import { startFakeProvider, type FakeProvider } from '../../tools/fake-provider/src/index.js';
import { assertDocumented } from './openapi-conformance.js';
import {
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
  /** The ops port (/metrics, /livez, /readyz) of a process, from its `ops listening` log line. */
  opsUrl(process: ServiceProcess): Promise<string>;
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

/** The url a process logged once it listened (`edge listening`, `ops listening`): it binds port 0 itself. */
function loggedUrl(target: ServiceProcess, message: string): Promise<string> {
  const line = new RegExp(`"url":"([^"]+)"[^\\n]*"msg":"${message}"`);
  return eventually(
    () => {
      const url = line.exec(target.output())?.[1];
      if (!url) throw new Error(`${target.name} logged no "${message}" url yet:\n${target.output().slice(-1500)}`);
      return Promise.resolve(url);
    },
    { timeoutMs: 30_000 },
  );
}
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomKey(): string {
  return `sk-${Array.from(randomBytes(48), (b) => BASE62[b % 62]).join('')}`;
}

export async function startSuite(options: SuiteOptions = {}): Promise<Suite> {
  const workDir = mkdtempSync(join(tmpdir(), 'tollgate-e2e-'));
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
      // Any free port, taken by the process itself and read back from its log line: a port picked
      // here and bound later could meanwhile be handed to another process's port 0 (it was, once).
      EDGE_PORT: '0',
      LOG_LEVEL: 'info',
      OPS_PORT: '0',
      ...options.env,
    };
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
    const firstEdge = await startService('edge');
    const edgeUrl = await loggedUrl(firstEdge, 'edge listening');
    // An edge started again (after stopService or killService) serves edgeUrl again; startEdge picks its own.
    env.EDGE_PORT = new URL(edgeUrl).port;
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
        const started = await startService('edge', { EDGE_PORT: '0', ...extraEnv });
        const url = await loggedUrl(started, 'edge listening');
        await eventually(
          async () => {
            const health = await fetch(`${url}/healthz`).catch(() => null);
            if (health?.status === 200) return;
            throw new Error(
              `the edge at ${url} is not healthy (${health?.status ?? 'no answer'}); logs:\n${started.output().slice(-2000)}`,
            );
          },
          { timeoutMs: 30_000 },
        );
        return { url, process: started };
      },
      restartNats: () => startedNats.restart(),
      opsUrl: (target) => loggedUrl(target, 'ops listening'),
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
