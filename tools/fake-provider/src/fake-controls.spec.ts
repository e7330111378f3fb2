import { describe, expect, it } from '@jest/globals';
import { controlsFromHeaders } from './control-headers.js';
import { ControlState, parseDefaultsPatch, parseQueue } from './control-state.js';
import { applyControlsPatch, InvalidControlError, parseControlsPatch } from './fake-controls.js';

describe('controls', () => {
  describe('parseControlsPatch', () => {
    it('accepts valid controls and null (= clear)', () => {
      expect(
        parseControlsPatch({ latencyMs: 12.5, status: 429, hang: false, errorCode: 'x', chunks: null }, 'c'),
      ).toEqual({
        latencyMs: 12.5,
        status: 429,
        hang: false,
        errorCode: 'x',
        chunks: null,
      });
    });

    it.each([
      [{ latency: 1 }, 'unknown control "latency"'],
      [{ status: 99 }, 'c.status must be an integer between 200 and 599'],
      [{ chunks: 1.5 }, 'c.chunks must be an integer'],
      [{ latencyMs: '10' }, 'c.latencyMs must be a number'],
      [{ hang: 'yes' }, 'c.hang must be a boolean'],
      [{ errorCode: '' }, 'c.errorCode must be a non-empty string'],
      [{ inputTokenFactor: 0 }, 'c.inputTokenFactor must be a number between 0.01 and 100'],
      [{ cachedTokens: 1.5 }, 'c.cachedTokens must be an integer'],
      [[], 'c must be a JSON object'],
    ])('rejects %j', (value, message) => {
      expect(() => parseControlsPatch(value, 'c')).toThrow(InvalidControlError);
      expect(() => parseControlsPatch(value, 'c')).toThrow(message);
    });
  });

  it('applyControlsPatch sets, keeps and deletes fields without leaving undefined keys', () => {
    const result = applyControlsPatch({ chunks: 3, status: 500 }, { status: null, latencyMs: 5 });
    expect(result).toEqual({ chunks: 3, latencyMs: 5 });
    expect(Object.keys(result)).toEqual(['chunks', 'latencyMs']);
  });

  describe('controlsFromHeaders', () => {
    it('reads every x-fake-* header', () => {
      expect(
        controlsFromHeaders({
          'x-fake-latency-ms': '25',
          'x-fake-status': '503',
          'x-fake-retry-after': '1.5',
          'x-fake-error-code': 'insufficient_quota',
          'x-fake-chunks': '9',
          'x-fake-chunk-interval-ms': '3',
          'x-fake-drop-after-chunks': '2',
          'x-fake-hang': 'false',
          'x-fake-completion-tokens': '77',
          'x-fake-omit-usage': 'TRUE',
          'x-fake-cached-tokens': '11',
          'x-fake-cache-write-tokens': '12',
          'x-fake-reasoning-tokens': '13',
          'x-fake-input-token-factor': '1.4',
          'x-fake-ignore-tools': '1',
          'x-fake-stream-error-after-chunks': '4',
        }),
      ).toEqual({
        latencyMs: 25,
        status: 503,
        retryAfter: 1.5,
        errorCode: 'insufficient_quota',
        chunks: 9,
        chunkIntervalMs: 3,
        dropAfterChunks: 2,
        hang: false,
        completionTokens: 77,
        omitUsage: true,
        cachedTokens: 11,
        cacheWriteTokens: 12,
        reasoningTokens: 13,
        inputTokenFactor: 1.4,
        ignoreTools: true,
        streamErrorAfterChunks: 4,
      });
    });

    it('ignores unrelated headers and rejects unparsable values', () => {
      expect(controlsFromHeaders({ authorization: 'Bearer x' })).toEqual({});
      expect(() => controlsFromHeaders({ 'x-fake-chunks': '' })).toThrow(InvalidControlError);
      expect(() => controlsFromHeaders({ 'x-fake-chunks': 'three' })).toThrow('x-fake-chunks');
      expect(() => controlsFromHeaders({ 'x-fake-hang': 'maybe' })).toThrow('x-fake-hang');
    });
  });

  describe('ControlState', () => {
    it('resolves built-in < defaults < byModel < queue, and consumes the queue only when asked', () => {
      const state = new ControlState(
        parseDefaultsPatch({ latencyMs: 1, chunks: 2, byModel: { m: { chunks: 3, status: 500 } } }),
      );
      state.enqueue(parseQueue([{ status: 429 }]));

      expect(state.resolve('other', false)).toEqual({ latencyMs: 1, chunks: 2, chunkIntervalMs: 0 });
      expect(state.resolve('m', false)).toEqual({ latencyMs: 1, chunks: 3, chunkIntervalMs: 0, status: 500 });
      expect(state.snapshot().queue).toHaveLength(1);
      expect(state.resolve('m', true)).toMatchObject({ chunks: 3, status: 429 });
      expect(state.resolve('m', true)).toMatchObject({ status: 500 });
    });

    it('merges per-model patches, removes a model with null, and resets to the start options', () => {
      const state = new ControlState({ byModel: { a: { chunks: 1 } } });
      state.setDefaults({ status: 503, byModel: { a: { latencyMs: 4 }, b: { hang: true } } });
      expect(state.snapshot()).toEqual({
        defaults: { status: 503 },
        byModel: { a: { chunks: 1, latencyMs: 4 }, b: { hang: true } },
        queue: [],
      });
      state.setDefaults({ status: null, byModel: { b: null } });
      expect(state.snapshot().byModel).toEqual({ a: { chunks: 1, latencyMs: 4 } });

      state.enqueue([{ status: 500 }]);
      state.reset();
      expect(state.snapshot()).toEqual({ defaults: {}, byModel: { a: { chunks: 1 } }, queue: [] });
    });

    it('validates queues and byModel', () => {
      expect(() => parseQueue({ status: 429 })).toThrow('JSON array');
      expect(() => parseQueue([{ status: null }])).toThrow('cannot be null');
      expect(() => parseDefaultsPatch({ byModel: [] })).toThrow('byModel');
      expect(() => parseDefaultsPatch({ byModel: { m: { nope: 1 } } })).toThrow('unknown control "nope"');
    });
  });
});
