/**
 * The upstream every target talks to: the project's fake provider (tools/fake-provider), run as its own
 * process so its CPU use is not mixed with the load generator's. Two instances: one answering at once
 * (the gateway's own cost is then the whole difference to direct calls) and one answering after 50 ms (a
 * realistic upstream, where a gateway that serialises or queues shows at concurrency).
 */
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { request } from 'undici';
import { spawnManaged, waitForLine } from './processes.js';
import { REPO_ROOT } from './paths.js';

const ENTRY = resolve(REPO_ROOT, 'dist/tools/fake-provider/main.js');

export async function startFakeProvider(name, latencyMs) {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm run bench does)`);
  const handle = spawnManaged(name, process.execPath, [
    ENTRY,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--latency-ms',
    String(latencyMs),
  ]);
  const [, url] = await waitForLine(handle, /fake-provider listening on (http:\/\/\S+)/, 10_000);
  return {
    name,
    latencyMs,
    url,
    handle,
    /** POST /__control: instance defaults and per-model defaults (`byModel`). */
    async setControls(controls) {
      const res = await request(`${url}/__control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(controls),
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${name}: POST /__control answered ${res.statusCode}: ${text}`);
    },
  };
}
