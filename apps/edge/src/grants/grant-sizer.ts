/** The time constant of the admission rate's EWMA (the proposal's §4.7). */
export const RATE_TIME_CONSTANT_MS = 2_000;

/** The weight of each new amount in the unit's EWMA: about the last eight requests count. */
export const UNIT_WEIGHT = 1 / 8;

/** What the sizer says to ask billing for. */
export interface WantedGrant {
  wantRequests: number;
  wantMicros: bigint;
  unitMicros: bigint;
}

/**
 * The demand of one (key, model) on this edge: how many admissions per
 * second it sees and what one usually costs, so that a grant covers about
 * one horizon of it. Pure: the caller passes the time (its injected clock),
 * so tests move time instead of waiting.
 *
 * The rate is an exponentially decaying count divided by its time constant
 * τ: each admission adds 1/τ, and the sum decays by e^(−Δt/τ). At a steady
 * rate r it converges to r whatever the spacing of the admissions, it needs
 * no buckets, and once the demand stops it falls by e in every τ, so a pair
 * that went quiet asks for little (the lower clamp) at its next grant.
 */
export class GrantSizer {
  /** Admissions per millisecond, as it was at `at`. */
  private ratePerMs = 0;
  private at = 0;
  private unit = 0;
  private last: number | null = null;

  /** When the last admission was recorded (null: none yet). */
  get lastAdmissionAt(): number | null {
    return this.last;
  }

  /** One admission of `amountMicros` at `now`. */
  record(now: number, amountMicros: bigint): void {
    this.ratePerMs = this.decayedTo(now) + 1 / RATE_TIME_CONSTANT_MS;
    this.at = Math.max(now, this.at);
    const amount = Number(amountMicros);
    // The first amount is the best guess there is; an average from 0 would ask for almost nothing.
    this.unit = this.last === null ? amount : this.unit + UNIT_WEIGHT * (amount - this.unit);
    this.last = now;
  }

  /** Admissions per second at `now`. */
  ratePerSecond(now: number): number {
    return this.decayedTo(now) * 1000;
  }

  /** The usual amount of one admission, in whole micro-units (an estimate, not a bound; at least 1). */
  get unitMicros(): bigint {
    return BigInt(Math.max(1, Math.round(this.unit)));
  }

  /**
   * A grant for `horizonMs` of the current rate, within [minRequests,
   * maxRequests] requests, each worth the usual amount.
   */
  want({
    now,
    horizonMs,
    minRequests,
    maxRequests,
  }: {
    now: number;
    horizonMs: number;
    minRequests: number;
    maxRequests: number;
  }): WantedGrant {
    const forHorizon = Math.ceil((this.ratePerSecond(now) * horizonMs) / 1000);
    const wantRequests = Math.min(maxRequests, Math.max(minRequests, forHorizon));
    const unitMicros = this.unitMicros;
    return { wantRequests, wantMicros: BigInt(wantRequests) * unitMicros, unitMicros };
  }

  private decayedTo(now: number): number {
    // A clock read before the last admission (two reads of one instant in another order) decays nothing.
    const elapsed = Math.max(0, now - this.at);
    return this.ratePerMs * Math.exp(-elapsed / RATE_TIME_CONSTANT_MS);
  }
}
