import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { fileSettableNames } from '@tollgate/config';
import { authSettings } from '../../apps/auth/src/auth.config.js';
import { billingSettings } from '../../apps/billing/src/billing.config.js';
import { edgeSettings } from '../../apps/edge/src/edge.config.js';
import { routerSettings } from '../../apps/router/src/router.config.js';

interface ComposeService {
  image?: string;
  build?: unknown;
  restart?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | null>;
  secrets?: Array<{ source: string; target?: string }>;
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string }>;
  volumes?: Record<string, unknown>;
}

const root = resolve(import.meta.dirname, '../..');
/**
 * The file as Docker Compose itself reads it: anchors and merges resolved,
 * the schema checked (an unknown key or a bad value fails here). The Debian
 * package docker-compose provides the command; .ci/run installs it.
 */
function composeConfig(): string {
  try {
    return execFileSync('docker-compose', ['--file', 'docker-compose.yml', 'config'], { cwd: root, encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error('docker-compose is not installed: apt-get install docker-compose (.ci/run does)', { cause: error });
  }
}
const compose = parse(composeConfig()) as ComposeFile;
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');

const tollgate = { auth: authSettings, router: routerSettings, billing: billingSettings, edge: edgeSettings };
type TollgateService = keyof typeof tollgate;
const tollgateServices = Object.keys(tollgate) as TollgateService[];
/** Secrets a service may leave unset, and why. */
const unsetSecrets: Partial<Record<TollgateService, Record<string, string>>> = {
  // Generated on first start into DATA_DIR/root-key, which is auth's volume.
  auth: { TOLLGATE_ROOT_KEY: 'generated into the auth-data volume' },
};

const serviceNames = Object.keys(compose.services);
const service = (name: string): ComposeService => compose.services[name];
const env = (name: string): Record<string, string | null> => service(name).environment ?? {};
/** Where a secret is mounted: /run/secrets/<target or source>. */
const mountedSecrets = (name: string): Map<string, string> =>
  new Map((service(name).secrets ?? []).map((s) => [`/run/secrets/${s.target ?? s.source}`, s.source]));

describe('docker-compose.yml', () => {
  it('runs the four services, NATS and PostgreSQL', () => {
    expect(serviceNames).toEqual(expect.arrayContaining([...tollgateServices, 'nats', 'postgres']));
  });

  it.each(serviceNames)('%s has a healthcheck and restarts', (name) => {
    const { healthcheck, restart } = service(name);
    expect(healthcheck?.disable).not.toBe(true);
    expect(healthcheck?.test?.length).toBeGreaterThan(1);
    expect(['always', 'unless-stopped', 'on-failure']).toContain(restart);
  });

  it('starts every container only after what it depends on is healthy', () => {
    const dependencies = serviceNames.flatMap((name) =>
      Object.entries(service(name).depends_on ?? {}).map(([on, { condition }]) => ({ name, on, condition })),
    );
    expect(dependencies.length).toBeGreaterThan(5);
    expect(dependencies.filter(({ condition }) => condition !== 'service_healthy')).toEqual([]);
  });

  it.each(tollgateServices)('%s is ready when its ops port /readyz says so, reachable from outside', (name) => {
    const { OPS_HOST, OPS_PORT } = env(name);
    expect(OPS_HOST).toBe('0.0.0.0');
    expect(service(name).healthcheck?.test?.join(' ')).toContain(`http://127.0.0.1:${OPS_PORT}/readyz`);
  });

  it.each(['auth', 'router', 'billing'])('%s waits for NATS and PostgreSQL', (name) => {
    expect(Object.keys(service(name).depends_on ?? {})).toEqual(expect.arrayContaining(['nats', 'postgres']));
  });

  it('starts the edge after one replica of each other service, which its readiness needs', () => {
    expect(Object.keys(service('edge').depends_on ?? {})).toEqual(
      expect.arrayContaining(['nats', 'auth', 'router', 'billing']),
    );
  });

  it("keeps auth's DATA_DIR, where the root key is written, on a named volume the image makes writable", () => {
    const dataDir = env('auth').DATA_DIR;
    const mount = service('auth').volumes?.find((volume) => volume.split(':')[1] === dataDir);
    expect(mount).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount?.split(':')[0]);
    // A named volume starts as a copy of the image's directory, its owner included.
    expect(dockerfile).toContain(`chown node:node ${dataDir}`);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it.each(tollgateServices)('%s takes every secret from a Docker secret, through <NAME>_FILE', (name) => {
    const mounted = mountedSecrets(name);
    for (const secret of fileSettableNames(tollgate[name])) {
      expect([secret, env(name)[secret]]).toEqual([secret, undefined]);
      const file = env(name)[`${secret}_FILE`];
      if (file === undefined && unsetSecrets[name]?.[secret]) continue;
      expect([secret, file && mounted.get(file)]).toEqual([secret, expect.any(String)]);
      expect(compose.secrets?.[mounted.get(file ?? '') ?? '']?.file).toBeDefined();
    }
  });

  it('gives PostgreSQL its password as a secret file too', () => {
    expect(env('postgres').POSTGRES_PASSWORD).toBeUndefined();
    expect(mountedSecrets('postgres').has(env('postgres').POSTGRES_PASSWORD_FILE ?? '')).toBe(true);
  });

  it('runs the services on Node 22', () => {
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual([
      'node:22-bookworm-slim',
      'node:22-bookworm-slim',
    ]);
  });
});
