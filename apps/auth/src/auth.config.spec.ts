import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@tollgate/config';
import { startupRefusal } from '@tollgate/testing';
import { authSettings } from './auth.config.js';

describe('auth configuration', () => {
  it('takes KEY_CACHE_TTL_MS=0 as no cache, and refuses a negative one', () => {
    expect(loadConfig('auth', authSettings, { KEY_CACHE_TTL_MS: '0' }).KEY_CACHE_TTL_MS).toBe(0);
    expect(startupRefusal(() => loadConfig('auth', authSettings, { KEY_CACHE_TTL_MS: '-1' }))).toContain(
      'KEY_CACHE_TTL_MS: must be an integer >= 0',
    );
  });

  it('stops start-up on NATS_REQUEST_TIMEOUT_MS=0', () => {
    expect(startupRefusal(() => loadConfig('auth', authSettings, { NATS_REQUEST_TIMEOUT_MS: '0' }))).toContain(
      'NATS_REQUEST_TIMEOUT_MS: must be an integer >= 1',
    );
  });
});
