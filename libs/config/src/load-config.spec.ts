import { describe, expect, it } from '@jest/globals';
import { startupRefusal } from '@tollgate/testing';
import { commonSettings, databaseSettings } from './common-settings.js';
import { MAX_TIMER_MS, nonNegativeInt, nonNegativeMs, positiveInt, positiveMs } from './integer-settings.js';
import { loadConfig, num, str } from './load-config.js';

describe(loadConfig.name, () => {
  it('returns typed values with defaults', () => {
    const config = loadConfig('svc', { A: str({ default: 'x' }), B: num({ default: 2 }) }, { B: '5' });
    expect(config.A).toBe('x');
    expect(config.B).toBe(5);
  });

  it('validates the process environment once and shares the result', () => {
    const specs = { TOLLGATE_SPEC_PROBE: str({ default: 'x' }) };
    expect(loadConfig('svc', specs)).toBe(loadConfig('svc', specs));
    expect(loadConfig('svc', specs, {})).not.toBe(loadConfig('svc', specs));
  });

  it('exits with a message naming a bad setting', () => {
    expect(startupRefusal(() => loadConfig('svc', { PORT_X: num() }, { PORT_X: 'abc' }))).toContain('PORT_X');
  });

  it.each(['0', '-5', '1.5', 'soon'])('refuses a timeout or limit of %s', (value) => {
    expect(startupRefusal(() => loadConfig('svc', { TIMEOUT_MS: positiveInt() }, { TIMEOUT_MS: value }))).toContain(
      'TIMEOUT_MS: must be an integer >= 1',
    );
  });

  it('accepts 0 for a cache TTL (off), not less', () => {
    expect(loadConfig('svc', { TTL_MS: nonNegativeInt() }, { TTL_MS: '0' }).TTL_MS).toBe(0);
    expect(startupRefusal(() => loadConfig('svc', { TTL_MS: nonNegativeInt() }, { TTL_MS: '-1' }))).toContain(
      'TTL_MS: must be an integer >= 0',
    );
  });

  it("refuses a duration longer than Node's timers take (it would fire at once, every millisecond)", () => {
    expect(loadConfig('svc', { EVERY_MS: positiveMs() }, { EVERY_MS: String(MAX_TIMER_MS) }).EVERY_MS).toBe(
      MAX_TIMER_MS,
    );
    for (const rule of [positiveMs(), nonNegativeMs()]) {
      expect(
        startupRefusal(() => loadConfig('svc', { EVERY_MS: rule }, { EVERY_MS: String(MAX_TIMER_MS + 1) })),
      ).toContain(`EVERY_MS: must be at most ${MAX_TIMER_MS}`);
    }
  });

  it.each(['NATS_REQUEST_TIMEOUT_MS', 'DATABASE_POOL_SIZE'])('refuses %s=0 in every service', (name) => {
    const settings = { ...commonSettings, ...databaseSettings };
    expect(startupRefusal(() => loadConfig('svc', settings, { [name]: '0' }))).toContain(`${name}: must be`);
  });
});
