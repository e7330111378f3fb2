import { Inject, Injectable } from '@nestjs/common';
import type { EdgeConfig } from '../edge.config.js';
import type { RequestEstimate } from '../openai/endpoint.js';
import { EDGE_CONFIG } from '../tokens.js';

/**
 * A sample outside this range is not a tokenizer's difference but something
 * else (an upstream that counts a cached prefix apart, a prompt of a few
 * tokens whose fixed overheads dominate, a wrong usage field): it is ignored.
 */
export const RATIO_SAMPLE_MIN = 0.5;
export const RATIO_SAMPLE_MAX = 4;

/** A sample below the learned ratio pulls it halfway toward itself over this many samples. */
export const RATIO_HALF_LIFE_SAMPLES = 100;
const DECAY_PER_SAMPLE = 2 ** (-1 / RATIO_HALF_LIFE_SAMPLES);

/**
 * Models whose ratio one edge keeps. Model names come from clients, but a
 * ratio is only learned from an upstream's answer, so only models that
 * channels serve get here; the cap bounds memory all the same.
 */
export const MAX_LEARNED_MODELS = 1024;

/**
 * `ceil(counted × ratio)` may land one token above a ratio learned from the
 * same prompt (70/49 × 49 = 70.00000000000001); a millionth of a token of
 * slack keeps the floating-point error of the division out of the hold.
 */
const ROUNDING_SLACK = 1e-6;

interface LearnedRatio {
  value: number;
}

/**
 * Per model, how many input tokens the upstream reports for each token the
 * edge counts (o200k_base), so that holds cover a model whose tokenizer counts
 * more: the hold's input is ceil(estimate × ratio). The ratio rises at once
 * to a higher sample (the next hold covers it) and falls slowly toward a
 * lower one (one cheap prompt does not undo what a dear one taught); before
 * a model has a sample, `HOLD_INPUT_MARGIN` is the ratio.
 *
 * Kept in memory by each edge replica, and lost on restart: a ratio is a
 * sizing hint for holds, not money — the charge is always the upstream's
 * reported usage — and every replica learns it from its first answer for
 * the model, so sharing it would buy one request per replica and model.
 */
@Injectable()
export class InputTokenRatios {
  /** In order of the last sample: the first entry is the one forgotten when the map is full. */
  private readonly learned = new Map<string, LearnedRatio>();
  private readonly margin: number;

  constructor(@Inject(EDGE_CONFIG) config: Pick<EdgeConfig, 'HOLD_INPUT_MARGIN'>) {
    this.margin = config.HOLD_INPUT_MARGIN;
  }

  /** Input tokens to hold for a request the edge estimates at `estimated` input tokens. */
  held(model: string, estimated: number): number {
    if (estimated === 0) return 0;
    return Math.ceil(estimated * this.ratio(model) - ROUNDING_SLACK);
  }

  /** The ratio a hold for `model` is scaled by now. */
  ratio(model: string): number {
    return this.learned.get(model)?.value ?? this.margin;
  }

  /**
   * Learns from a settled request: the upstream reported `reported` input
   * tokens for an estimate of `estimate.inputTokens`. Requests with input
   * held at an allowance (images, audio, files) teach nothing: the
   * allowance is a bound, not a count, and would drag the ratio down.
   */
  learn(model: string, estimate: RequestEstimate, reported: number | undefined): void {
    if (reported === undefined || reported <= 0) return;
    if (estimate.inputTokens <= 0 || estimate.inputAllowanceTokens > 0) return;
    const sample = reported / estimate.inputTokens;
    if (!(sample >= RATIO_SAMPLE_MIN && sample <= RATIO_SAMPLE_MAX)) return;

    const entry = this.learned.get(model);
    if (entry) {
      entry.value = sample >= entry.value ? sample : sample + (entry.value - sample) * DECAY_PER_SAMPLE;
      // Re-inserted, so the map's order stays the order of the last sample.
      this.learned.delete(model);
      this.learned.set(model, entry);
      return;
    }
    if (this.learned.size >= MAX_LEARNED_MODELS) {
      const oldest = this.learned.keys().next();
      if (!oldest.done) this.learned.delete(oldest.value);
    }
    this.learned.set(model, { value: sample });
  }

  /** Models with a learned ratio (for tests and diagnostics). */
  get size(): number {
    return this.learned.size;
  }
}
