import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@tollgate/config';
import { startupRefusal } from '@tollgate/testing';
import { edgeSettings } from './edge.config.js';

describe('edge configuration', () => {
  it('has no capability changes by default', () => {
    expect(loadConfig('edge', edgeSettings, {}).MODEL_CAPABILITIES).toEqual({ images: {}, speech: {} });
  });

  it('reads MODEL_CAPABILITIES as JSON', () => {
    const config = loadConfig('edge', edgeSettings, { MODEL_CAPABILITIES: '{"images":{"dall-e-3":{"n_max":4}}}' });
    expect(config.MODEL_CAPABILITIES.images['dall-e-3']).toEqual({ nMax: 4 });
  });

  it.each([
    ['{"images":{"dall-e-3":{"n_max":"four"}}}', 'images.dall-e-3.n_max must be a positive integer'],
    ['{"images":{"dall-e-3":{"n_min":3,"n_max":2}}}', 'n_min (3) is greater than n_max (2)'],
    ['{nope', 'is not valid JSON'],
  ])('stops start-up on a bad MODEL_CAPABILITIES (%s), naming it', (value, problem) => {
    const written = startupRefusal(() => loadConfig('edge', edgeSettings, { MODEL_CAPABILITIES: value }));
    expect(written).toContain('MODEL_CAPABILITIES');
    expect(written).toContain(problem);
  });

  it('throttles after 30 failed authentications per minute by default', () => {
    expect(loadConfig('edge', edgeSettings, {}).AUTH_FAILURES_PER_MINUTE).toBe(30);
  });

  it.each(['AUTH_FAILURES_PER_MINUTE', 'NATS_REQUEST_TIMEOUT_MS', 'SETTLEMENT_PUBLISH_ATTEMPTS', 'BODY_LIMIT_BYTES'])(
    'stops start-up on %s=0, naming it',
    (name) => {
      expect(startupRefusal(() => loadConfig('edge', edgeSettings, { [name]: '0' }))).toContain(
        `${name}: must be an integer >= 1`,
      );
    },
  );

  it('holds input at a margin of 1.5 by default, and reads a decimal one', () => {
    expect(loadConfig('edge', edgeSettings, {}).HOLD_INPUT_MARGIN).toBe(1.5);
    expect(loadConfig('edge', edgeSettings, { HOLD_INPUT_MARGIN: '1.25' }).HOLD_INPUT_MARGIN).toBe(1.25);
  });

  it.each(['0.9', '4.5', 'lots', ''])('stops start-up on HOLD_INPUT_MARGIN=%j, naming it', (value) => {
    expect(startupRefusal(() => loadConfig('edge', edgeSettings, { HOLD_INPUT_MARGIN: value }))).toContain(
      'HOLD_INPUT_MARGIN: must be a number from 1 to 4',
    );
  });

  it('takes PRINCIPAL_CACHE_TTL_MS=0 as no cache, and refuses a negative one', () => {
    expect(loadConfig('edge', edgeSettings, { PRINCIPAL_CACHE_TTL_MS: '0' }).PRINCIPAL_CACHE_TTL_MS).toBe(0);
    expect(startupRefusal(() => loadConfig('edge', edgeSettings, { PRINCIPAL_CACHE_TTL_MS: '-1' }))).toContain(
      'PRINCIPAL_CACHE_TTL_MS: must be an integer >= 0',
    );
  });
});
