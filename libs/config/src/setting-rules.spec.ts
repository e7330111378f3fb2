import { describe, expect, it } from '@jest/globals';
import { startupRefusal } from '@tollgate/testing';
import { refuseContradictions, type SettingRule } from './setting-rules.js';

const rules: readonly SettingRule<{ TTL_MS: number; WAIT_MS: number }>[] = [
  {
    settings: ['TTL_MS', 'WAIT_MS'],
    holds: (c) => c.TTL_MS > c.WAIT_MS,
    explain: () => 'TTL_MS must exceed WAIT_MS',
  },
];

describe(refuseContradictions.name, () => {
  it('returns the configuration when every rule holds', () => {
    const config = { TTL_MS: 2, WAIT_MS: 1 };
    expect(refuseContradictions('svc', config, rules)).toBe(config);
  });

  it('stops start-up naming both settings, their values and the rule', () => {
    const message = startupRefusal(() => refuseContradictions('svc', { TTL_MS: 1, WAIT_MS: 1 }, rules));
    expect(message).toContain('svc: contradictory configuration');
    expect(message).toContain('TTL_MS vs WAIT_MS (TTL_MS=1, WAIT_MS=1): TTL_MS must exceed WAIT_MS');
  });
});
