/**
 * Portkey's open-source gateway (npm @portkey-ai/gateway, installed as a dev dependency), the closest peer:
 * a Node/TypeScript LLM gateway. It does no auth, quota or billing — only routing — so Tollgate doing at
 * least as well is a high bar. Routed to the fake provider with `x-portkey-provider: openai` and
 * `x-portkey-custom-host`; run with node directly (not through npx) so its pid is the gateway itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import process from 'node:process';
import { PROFILES } from '../profiles.js';
import { REPO_ROOT } from '../paths.js';
import { freePort, isListening, spawnManaged, waitFor } from '../processes.js';
import { TargetUnavailable } from './unavailable.js';

const PACKAGE_DIR = resolve(REPO_ROOT, 'node_modules/@portkey-ai/gateway');
const ENTRY = resolve(PACKAGE_DIR, 'build/start-server.js');
const LOOPBACK_PRELOAD = fileURLToPath(new URL('./loopback-only.js', import.meta.url));

export async function startPortkey({ upstreams }) {
  if (!existsSync(ENTRY)) {
    throw new TargetUnavailable(`${ENTRY} not found — @portkey-ai/gateway is a dev dependency: run \`npm ci\``);
  }
  const version = JSON.parse(readFileSync(resolve(PACKAGE_DIR, 'package.json'), 'utf8')).version;
  const port = await freePort();
  const handle = spawnManaged(
    'portkey',
    process.execPath,
    ['--import', LOOPBACK_PRELOAD, ENTRY, `--port=${port}`, '--headless'],
    { env: { ...process.env, NODE_ENV: 'production' } },
  );
  try {
    await waitFor(
      async () => {
        if (!handle.isRunning()) throw new Error('exited');
        return isListening(port);
      },
      20_000,
      'Portkey to listen',
    );
  } catch {
    await handle.stop();
    throw new TargetUnavailable(`Portkey's gateway did not start: ${handle.output().trim().slice(-2000)}`);
  }

  return {
    name: 'portkey',
    version: `@portkey-ai/gateway ${version}`,
    notes: ['routing only (no auth, quota or billing); single Node process'],
    endpoint(profile) {
      return {
        origin: `http://127.0.0.1:${port}`,
        path: '/v1/chat/completions',
        headers: {
          authorization: 'Bearer sk-fake',
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': `${upstreams[PROFILES[profile].upstream].url}/v1`,
        },
      };
    },
    processGroups: () => [{ label: 'portkey', role: 'gateway', pids: () => [handle.pid] }],
    isAlive: () => handle.isRunning(),
    stop: () => handle.stop(),
  };
}
