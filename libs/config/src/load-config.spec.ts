import { describe, expect, it, jest } from '@jest/globals';
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
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exit');
    });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(() => loadConfig('svc', { PORT_X: num() }, { PORT_X: 'abc' })).toThrow('exit');
    expect(String(stderr.mock.calls[0]?.[0])).toContain('PORT_X');
    exit.mockRestore();
    stderr.mockRestore();
  });
});
