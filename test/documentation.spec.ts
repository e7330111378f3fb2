import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { authSettings } from '../apps/auth/src/auth.config.js';
import { billingSettings } from '../apps/billing/src/billing.config.js';
import { edgeSettings } from '../apps/edge/src/edge.config.js';
import { routerSettings } from '../apps/router/src/router.config.js';
import { OPENTELEMETRY_VARIABLES } from '../libs/observability/src/tracing.js';

const root = resolve(import.meta.dirname, '..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const envExample = readFileSync(resolve(root, '.env.example'), 'utf8');

const settings = { edge: edgeSettings, auth: authSettings, router: routerSettings, billing: billingSettings };

/** Keeps the README's configuration table and .env.example true to the code. */
describe('configuration documentation', () => {
  // Ours, validated by loadConfig, and the OpenTelemetry SDK's that every service reads through it.
  const names = [
    ...new Set([...Object.values(settings).flatMap((s) => Object.keys(s)), ...OPENTELEMETRY_VARIABLES]),
  ].sort();

  it.each(names)('%s is in the README table and in .env.example', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
    expect(envExample).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  it('documents no variable the services do not read', () => {
    const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` +\|/gm)].map((m) => m[1]);
    expect(documented.filter((name) => !names.includes(name ?? ''))).toEqual([]);
  });
});
