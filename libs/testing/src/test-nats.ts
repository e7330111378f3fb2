import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The launcher's process plumbing (`npm start` runs nats-server the same way).
import {
  findNatsServer,
  freePort,
  startNatsServer,
  stopProcess,
} from '../../../tools/launcher/src/service-processes.js';

export interface TestNats {
  /** What to pass as `servers` (or NATS_URL). */
  url: string;
  /** Stops the server if this helper started it. */
  stop(): Promise<void>;
}

/**
 * NATS with JetStream for a spec that names its own subjects and streams
 * (unique to the run): the server at `TEST_NATS_URL` when it is set, or else
 * a private one, as `privateNatsServer` starts.
 */
export async function testNats(): Promise<TestNats> {
  const shared = process.env.TEST_NATS_URL;
  if (shared) return { url: shared, stop: async () => undefined };
  return privateNatsServer();
}

/**
 * A nats-server of its own on a free loopback port, JetStream stored in a
 * temporary directory that `stop` removes. The e2e suite always uses one:
 * the services' subjects and stream are fixed names, and two suites on one
 * server would answer each other's requests.
 */
export async function privateNatsServer(): Promise<TestNats> {
  const binary = findNatsServer();
  if (!binary) throw new Error('nats-server is not installed; the tests need it (apt-get install nats-server)');
  const storeDir = mkdtempSync(join(tmpdir(), 'tollgate-nats-'));
  try {
    const port = await freePort();
    const server = await startNatsServer(binary, port, storeDir);
    return {
      url: `nats://127.0.0.1:${port}`,
      stop: async () => {
        await stopProcess(server);
        rmSync(storeDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(storeDir, { recursive: true, force: true });
    throw error;
  }
}
