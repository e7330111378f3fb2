import { describe, expect, it } from '@jest/globals';
import { startupRefusal } from '@tollgate/testing';
import { HOLD_TTL_REDELIVERIES, loadBillingConfig } from './billing.config.js';

const HOLD_TTL_MARGIN_MS = 300_000;

describe('billing configuration', () => {
  it('accepts the defaults: a 15-minute hold outlives two 30-second ack waits and the margin', () => {
    const config = loadBillingConfig({});
    expect(config.HOLD_TTL_MS).toBeGreaterThanOrEqual(
      HOLD_TTL_REDELIVERIES * config.SETTLEMENT_ACK_WAIT_MS + config.HOLD_TTL_MARGIN_MS,
    );
  });

  it('accepts a hold TTL exactly at the bound', () => {
    const env = { SETTLEMENT_ACK_WAIT_MS: '60000', HOLD_TTL_MS: String(2 * 60_000 + HOLD_TTL_MARGIN_MS) };
    expect(loadBillingConfig(env).HOLD_TTL_MS).toBe(420_000);
  });

  it('lets a deployment whose requests are short (a test suite) lower the margin, and no further', () => {
    const env = { SETTLEMENT_ACK_WAIT_MS: '5000', HOLD_TTL_MARGIN_MS: '5000' };
    expect(loadBillingConfig({ ...env, HOLD_TTL_MS: '15000' }).HOLD_TTL_MS).toBe(15_000);
    expect(startupRefusal(() => loadBillingConfig({ ...env, HOLD_TTL_MS: '14999' }))).toContain('(here 15000 ms)');
  });

  it.each([
    ['below the ack wait', { HOLD_TTL_MS: '10000', SETTLEMENT_ACK_WAIT_MS: '30000' }],
    ['a little short of the bound', { HOLD_TTL_MS: '419999', SETTLEMENT_ACK_WAIT_MS: '60000' }],
  ])('stops start-up on a hold TTL %s, naming both settings and the rule', (_, env) => {
    const message = startupRefusal(() => loadBillingConfig(env));
    expect(message).toContain('HOLD_TTL_MS vs SETTLEMENT_ACK_WAIT_MS vs HOLD_TTL_MARGIN_MS');
    expect(message).toContain(`HOLD_TTL_MS=${env.HOLD_TTL_MS}, SETTLEMENT_ACK_WAIT_MS=${env.SETTLEMENT_ACK_WAIT_MS}`);
    expect(message).toContain('HOLD_TTL_MS must be at least 2 × SETTLEMENT_ACK_WAIT_MS + HOLD_TTL_MARGIN_MS (here');
  });

  it.each([
    'HOLD_TTL_MS',
    'MAINTENANCE_INTERVAL_MS',
    'SETTLEMENT_ACK_WAIT_MS',
    'SETTLEMENT_DUPLICATE_WINDOW_MS',
    'NATS_REQUEST_TIMEOUT_MS',
  ])('stops start-up on %s=0', (name) => {
    expect(startupRefusal(() => loadBillingConfig({ [name]: '0' }))).toContain(`${name}: must be an integer >= 1`);
  });

  it('stops start-up on a negative PRICE_CACHE_TTL_MS, and takes 0 as off', () => {
    expect(loadBillingConfig({ PRICE_CACHE_TTL_MS: '0' }).PRICE_CACHE_TTL_MS).toBe(0);
    expect(startupRefusal(() => loadBillingConfig({ PRICE_CACHE_TTL_MS: '-1' }))).toContain(
      'PRICE_CACHE_TTL_MS: must be an integer >= 0',
    );
  });
});
