import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually, privateNatsServer, type PrivateNats } from '@tollgate/testing';
import { freePort } from '../tools/launcher/src/service-processes.js';

/**
 * `npm start` itself: the launcher as a user runs it, with its embedded
 * PostgreSQL and the fake provider, on free ports and a fresh DATA_DIR, and
 * stopped the way Ctrl-C stops it. NATS is a private server: the launcher
 * joins a NATS_URL that answers, as it joins the system's one by default.
 */
const ROOT = resolve(import.meta.dirname, '..');
const STREAM_DEADLINE_MS = 2000;
const STOP_WITHIN_MS = 10_000;

interface Launched {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; at: number }>;
}

function launch(env: NodeJS.ProcessEnv): Launched {
  const child = spawn(process.execPath, [join(ROOT, 'dist/tools/launcher/main.js'), '--with-fake-provider'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; at: number }>((done) =>
    child.once('exit', (code) => done({ code, at: Date.now() })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Every process below `pid`, from ps: the launcher's copy, the services, the fake provider, PostgreSQL. */
function descendants(pid: number): number[] {
  const table = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of table) {
      if (ppid === parent && child !== undefined) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

/** Running, not a zombie waiting to be reaped (an orphan's zombie is reaped by init, in its own time). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('npm start', () => {
  let nats: PrivateNats;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let edgeUrl: string;
  let fakeUrl: string;
  const launched: Launched[] = [];

  beforeAll(async () => {
    nats = await privateNatsServer();
    dataDir = mkdtempSync(join(tmpdir(), 'tollgate-launcher-'));
    // As a checkout's .data is: run as root, the embedded PostgreSQL runs as the postgres user, who must enter it.
    chmodSync(dataDir, 0o755);
    const [edgePort, pgPort, fakePort] = [await freePort(), await freePort(), await freePort()];
    edgeUrl = `http://127.0.0.1:${edgePort}`;
    fakeUrl = `http://127.0.0.1:${fakePort}`;
    env = {
      NATS_URL: nats.url,
      DATA_DIR: dataDir,
      EDGE_PORT: String(edgePort),
      EMBEDDED_PG_PORT: String(pgPort),
      FAKE_PROVIDER_PORT: String(fakePort),
      OPS_PORT: '0',
      SHUTDOWN_STREAM_DEADLINE_MS: String(STREAM_DEADLINE_MS),
    };
  });

  // A test that failed half-way leaves its suite running, on the ports the next test's suite needs.
  afterEach(async () => {
    for (const one of launched) if (one.child.exitCode === null) one.child.kill('SIGINT');
    await Promise.all(launched.splice(0).map((one) => one.exited));
  });

  afterAll(async () => {
    await nats?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function started(): Promise<Launched> {
    const suite = launch(env);
    launched.push(suite);
    await Promise.race([
      eventually(
        () => {
          if (!suite.stdout().includes('Ctrl-C')) throw new Error(`no banner yet:\n${suite.stdout()}`);
          return Promise.resolve();
        },
        { timeoutMs: 90_000 },
      ),
      suite.exited.then(() => {
        throw new Error(`the launcher exited:\n${suite.stdout()}${suite.stderr()}`);
      }),
    ]);
    return suite;
  }

  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const rootKey = readFileSync(join(dataDir, 'root-key'), 'utf8').trim();
    const response = await fetch(`${edgeUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  it('stops the suite with a non-zero code when a service exits, showing its last log lines and the file', async () => {
    // A setting only billing reads, and refuses: billing exits at start-up, naming it.
    const suite = launch({ ...env, HOLD_TTL_MS: '0' });
    launched.push(suite);
    const { code } = await suite.exited;
    expect(code).not.toBe(0);
    expect(suite.stderr()).toContain(`billing exited (code 1)`);
    expect(suite.stderr()).toContain(join(dataDir, 'logs', 'billing.log'));
    expect(suite.stderr()).toMatch(/^ {2}.*HOLD_TTL_MS/m);
    expect(suite.stdout()).not.toContain('Tollgate is up');
  }, 120_000);

  /** A plain TCP server on a free port, as another program would be; it records whether anyone said anything. */
  async function foreignServer(): Promise<{ port: number; heard: () => string; close: () => Promise<void> }> {
    let heard = '';
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (chunk: Buffer) => (heard += chunk.toString('latin1')));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    return {
      port: typeof address === 'object' && address ? address.port : 0,
      heard: () => heard,
      close: () => {
        sockets.forEach((socket) => socket.destroy());
        return new Promise((done) => server.close(() => done()));
      },
    };
  }

  it('refuses an EMBEDDED_PG_PORT another program listens on, naming it, and does not join it', async () => {
    const foreign = await foreignServer();
    try {
      const suite = launch({ ...env, EMBEDDED_PG_PORT: String(foreign.port) });
      launched.push(suite);
      expect((await suite.exited).code).not.toBe(0);
      expect(suite.stderr()).toContain(
        `port ${foreign.port} is taken by another process (not Tollgate's embedded PostgreSQL); set EMBEDDED_PG_PORT or DATABASE_URL`,
      );
      expect(foreign.heard()).toBe('');
    } finally {
      await foreign.close();
    }
  }, 60_000);

  it('refuses a NATS_URL whose port another program listens on, naming it', async () => {
    const foreign = await foreignServer();
    try {
      const suite = launch({ ...env, NATS_URL: `nats://127.0.0.1:${foreign.port}` });
      launched.push(suite);
      expect((await suite.exited).code).not.toBe(0);
      expect(suite.stderr()).toContain(
        `port ${foreign.port} on 127.0.0.1 is taken by another process (not a NATS server)`,
      );
      expect(foreign.heard()).toBe('');
    } finally {
      await foreign.close();
    }
  }, 60_000);

  it("prints a short banner, no JSON, and writes each process's JSON log to DATA_DIR/logs", async () => {
    const suite = await started();
    const banner = suite.stdout().trimEnd().split('\n');
    expect(banner.length).toBeLessThan(12);
    expect(banner.filter((text) => text.trimStart().startsWith('{'))).toEqual([]);
    expect(suite.stdout()).toContain(`OpenAI base URL:  ${edgeUrl}/v1`);
    expect(suite.stdout()).toContain(`Admin API:        ${edgeUrl}/admin/v1`);
    expect(suite.stdout()).toContain(join(dataDir, 'root-key'));
    expect(suite.stdout()).toContain(join(dataDir, 'logs'));
    expect(suite.stdout()).toContain('Ctrl-C');
    for (const name of ['launcher', 'auth', 'router', 'billing', 'edge', 'fake-provider']) {
      const file = join(dataDir, 'logs', `${name}.log`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      if (name === 'fake-provider') continue; // one plain line: where it listens
      // Only what a process writes before its logger exists is not JSON (a setting refused, on stderr).
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((text) => text.startsWith('{'));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.map((text) => (JSON.parse(text) as { service: string }).service)).toEqual(lines.map(() => name));
    }
    suite.child.kill('SIGINT');
    expect((await suite.exited).code).toBe(0);
  }, 120_000);

  it('stops within 10 s on Ctrl-C with a stream in flight: the stream ends at the deadline, is settled, and no process is left', async () => {
    const suite = await started();
    await admin('POST', '/admin/v1/channels', {
      name: 'fake',
      base_url: `${fakeUrl}/v1`,
      api_key: 'sk-fake',
      models: ['launcher-slow'],
    });
    await admin('PUT', '/admin/v1/prices/launcher-slow', { input_per_million: '1', output_per_million: '1000' });
    const { id: userId } = await admin<{ id: string }>('POST', '/admin/v1/users', { name: 'launcher-e2e' });
    await admin('POST', `/admin/v1/users/${userId}/topups`, { amount: '10', reason: 'e2e', idempotency_key: userId });
    const { key } = await admin<{ key: string }>('POST', `/admin/v1/users/${userId}/keys`, { name: 'e2e' });
    // A stream far longer than the deadline: 40 words, one every 250 ms.
    const control = await fetch(`${fakeUrl}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ byModel: { 'launcher-slow': { chunks: 40, chunkIntervalMs: 250 } } }),
    });
    expect(control.status).toBe(200);

    // fetch keeps its connection alive once the stream ends, as the SDKs do.
    const response = await fetch(`${edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'launcher-slow', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let streamed = '';
    const read = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        streamed += Buffer.from(value).toString('utf8');
      }
    })();
    await eventually(() => Promise.resolve(expect(streamed).toContain('"content"')));

    const processes = descendants(suite.child.pid!);
    expect(processes.length).toBeGreaterThanOrEqual(6); // the copy, four services, the fake provider, PostgreSQL
    const stopAsked = Date.now();
    suite.child.kill('SIGINT');
    const { code, at } = await suite.exited;
    await read;

    expect(code).toBe(0);
    expect(at - stopAsked).toBeLessThan(STOP_WITHIN_MS);
    // Each stopped by itself: none held on until the launcher killed it.
    expect(readFileSync(join(dataDir, 'logs', 'launcher.log'), 'utf8')).not.toContain('did not stop in time');
    expect(processes.filter(running)).toEqual([]);
    expect(streamed).toContain('"code":"gateway_stopping"');
    expect(streamed.trimEnd().endsWith('data: [DONE]')).toBe(true);

    // The next start finds the stream settled: charged for what it delivered, nothing held.
    await started();
    const settled = await eventually(
      async () => {
        const balance = await admin<{ balance: string; held: string }>('GET', `/admin/v1/users/${userId}/balance`);
        if (balance.balance === '10.000000' || balance.held !== '0.000000') throw new Error(JSON.stringify(balance));
        return balance;
      },
      { timeoutMs: 15_000 },
    );
    expect(Number(settled.balance)).toBeLessThan(10);
  }, 120_000);
});
