import { describe, expect, it, jest } from '@jest/globals';
import { loadConfig } from '@tollgate/config';
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
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exit');
    });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => loadConfig('edge', edgeSettings, { MODEL_CAPABILITIES: value })).toThrow('exit');
      const written = String(stderr.mock.calls[0]?.[0]);
      expect(written).toContain('MODEL_CAPABILITIES');
      expect(written).toContain(problem);
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
  });
});
