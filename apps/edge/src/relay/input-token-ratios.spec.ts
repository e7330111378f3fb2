import { describe, expect, it } from '@jest/globals';
import type { RequestEstimate } from '../openai/endpoint.js';
import {
  InputTokenRatios,
  MAX_LEARNED_MODELS,
  RATIO_HALF_LIFE_SAMPLES,
  RATIO_SAMPLE_MAX,
  RATIO_SAMPLE_MIN,
} from './input-token-ratios.js';

const estimate = (inputTokens: number, inputAllowanceTokens = 0): RequestEstimate => ({
  inputTokens,
  inputAllowanceTokens,
  outputTokens: 100,
  images: 0,
  imageSize: null,
  characters: 0,
});

const newRatios = () => new InputTokenRatios({ HOLD_INPUT_MARGIN: 1.5 });

describe(InputTokenRatios.name, () => {
  it('holds the input at the default margin before an upstream reported anything', () => {
    const sut = newRatios();
    expect(sut.held('gpt-4o', 100)).toBe(150);
    expect(sut.held('gpt-4o', 7)).toBe(11);
    expect(sut.held('gpt-4o', 0)).toBe(0);
  });

  it('rises at once to a higher sample, so the next hold covers what the upstream counted', () => {
    const sut = newRatios();
    sut.learn('claude', estimate(100), 140);
    expect(sut.ratio('claude')).toBe(1.4);
    expect(sut.held('claude', 100)).toBe(140);
    sut.learn('claude', estimate(100), 190);
    expect(sut.held('claude', 100)).toBe(190);
    // Other models keep the margin.
    expect(sut.held('gpt-4o', 100)).toBe(150);
  });

  it('holds exactly what the upstream reported for the same prompt, floating-point error aside', () => {
    const sut = newRatios();
    for (const [counted, reported] of [
      [49, 70],
      [10, 14],
      [93, 131],
      [3, 7],
    ]) {
      sut.learn(`m-${counted}`, estimate(counted), reported);
      expect(sut.held(`m-${counted}`, counted)).toBe(reported);
    }
  });

  it(`falls slowly toward a lower sample: halfway in ${RATIO_HALF_LIFE_SAMPLES} samples`, () => {
    const sut = newRatios();
    sut.learn('m', estimate(100), 200);
    sut.learn('m', estimate(100), 100);
    expect(sut.ratio('m')).toBeLessThan(2);
    expect(sut.ratio('m')).toBeGreaterThan(1.99);
    for (let i = 1; i < RATIO_HALF_LIFE_SAMPLES; i++) sut.learn('m', estimate(100), 100);
    expect(sut.ratio('m')).toBeCloseTo(1.5, 10);
    for (let i = 0; i < RATIO_HALF_LIFE_SAMPLES; i++) sut.learn('m', estimate(100), 100);
    expect(sut.ratio('m')).toBeCloseTo(1.25, 10);
  });

  it('ignores samples outside the bounds, without a report, or with input held at an allowance', () => {
    const sut = newRatios();
    sut.learn('m', estimate(100), 100 * RATIO_SAMPLE_MAX + 1);
    sut.learn('m', estimate(100), 100 * RATIO_SAMPLE_MIN - 1);
    sut.learn('m', estimate(100), undefined);
    sut.learn('m', estimate(100), 0);
    sut.learn('m', estimate(0), 50);
    sut.learn('m', estimate(1545, 1445), 3000);
    expect(sut.size).toBe(0);
    expect(sut.ratio('m')).toBe(1.5);
    sut.learn('m', estimate(100), 100 * RATIO_SAMPLE_MAX);
    expect(sut.ratio('m')).toBe(RATIO_SAMPLE_MAX);
  });

  it(`keeps at most ${MAX_LEARNED_MODELS} models, forgetting the one without a sample for longest`, () => {
    const sut = newRatios();
    for (let i = 0; i < MAX_LEARNED_MODELS; i++) sut.learn(`model-${i}`, estimate(100), 200);
    // model-0 learns again: model-1 is now the oldest.
    sut.learn('model-0', estimate(100), 300);
    sut.learn('one-more', estimate(100), 250);
    expect(sut.size).toBe(MAX_LEARNED_MODELS);
    expect(sut.ratio('model-1')).toBe(1.5);
    expect(sut.ratio('model-0')).toBe(3);
    expect(sut.ratio('model-2')).toBe(2);
    expect(sut.ratio('one-more')).toBe(2.5);
  });
});
