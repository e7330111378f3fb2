import { describe, expect, it } from '@jest/globals';
import type { ValidatorSpec } from 'envalid';
import { authSettings } from '../apps/auth/src/auth.config.js';
import { billingSettings } from '../apps/billing/src/billing.config.js';
import { edgeSettings } from '../apps/edge/src/edge.config.js';
import { routerSettings } from '../apps/router/src/router.config.js';

const settings: Record<string, ValidatorSpec<unknown>> = {
  ...authSettings,
  ...billingSettings,
  ...edgeSettings,
  ...routerSettings,
};

/** Every duration and timeout the services read: names ending in _MS, or holding TIMEOUT. */
const durations = Object.keys(settings)
  .filter((name) => name.endsWith('_MS') || name.includes('TIMEOUT'))
  .sort();

/** The durations where 0 switches something off, each for a reason its description gives; every other one is positiveMs. */
const ZERO_SWITCHES_OFF = [
  'ADMISSION_APPLY_DELAY_MS', // billing applies admissions at once
  'GRANT_RECLAIM_WAIT_MS', // a reserve does not wait for a grant's return
  'HOLD_TTL_MARGIN_MS', // no margin
  'KEY_CACHE_TTL_MS', // no cache
  'OUTCOME_BATCH_LINGER_MS', // each outcome at once
  'PRICE_CACHE_TTL_MS', // no cache
  'PRINCIPAL_CACHE_TTL_MS', // no cache
  'ROUTING_TABLE_REFRESH_MS', // the table only at start and on reconnect
];

const refuses = (name: string, value: string) => () => settings[name]?._parse(value);

/** Keeps every timeout refusing 0 and below at start-up: a timeout of 0 never waits, a negative one fires at once. */
describe('duration settings', () => {
  it('are the ones this list knows, so that a new one is looked at', () => {
    expect(durations).toEqual(expect.arrayContaining(ZERO_SWITCHES_OFF));
    expect(durations.length).toBeGreaterThan(ZERO_SWITCHES_OFF.length);
  });

  it.each(durations)('%s refuses a negative value', (name) => {
    expect(refuses(name, '-1')).toThrow('must be an integer >=');
  });

  it.each(durations.filter((name) => !ZERO_SWITCHES_OFF.includes(name)))('%s refuses 0', (name) => {
    expect(refuses(name, '0')).toThrow('must be an integer >= 1');
  });

  it.each(ZERO_SWITCHES_OFF)('%s takes 0 for off, and is no timeout', (name) => {
    expect(settings[name]?._parse('0')).toBe(0);
    expect(name).not.toContain('TIMEOUT');
  });
});
