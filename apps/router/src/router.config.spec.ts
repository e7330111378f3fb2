import { describe, expect, it } from '@jest/globals';
import { startupRefusal } from '@tollgate/testing';
import { loadRouterConfig } from './router.config.js';

describe('router configuration', () => {
  it.each([
    'CHANNEL_CONNECT_TIMEOUT_MS',
    'CHANNEL_FIRST_BYTE_TIMEOUT_MS',
    'CHANNEL_IDLE_TIMEOUT_MS',
    'COOLDOWN_MAX_MS',
    'BREAKER_OPEN_MS',
    'AUTO_ENABLE_INTERVAL_MS',
    'CHANNEL_RELOAD_INTERVAL_MS',
    'CHANNEL_TEST_TIMEOUT_MS',
    'NATS_REQUEST_TIMEOUT_MS',
  ])('stops start-up on %s of 0 or less, naming it', (name) => {
    for (const value of ['0', '-1000']) {
      expect(startupRefusal(() => loadRouterConfig({ [name]: value }))).toContain(`${name}: must be an integer >= 1`);
    }
  });

  it('accepts positive timeouts', () => {
    expect(loadRouterConfig({ CHANNEL_CONNECT_TIMEOUT_MS: '1' }).CHANNEL_CONNECT_TIMEOUT_MS).toBe(1);
  });
});
