import { EnvError, makeValidator } from 'envalid';

/**
 * An integer setting with a lower bound. Timeouts, intervals and limits are
 * declared with one, so that `NATS_REQUEST_TIMEOUT_MS=0` (a request that can
 * never be answered) or `MAINTENANCE_INTERVAL_MS=-1` (a busy loop) stops
 * start-up instead of breaking the service quietly.
 */
export const intAtLeast = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  makeValidator<number>((input: string) => {
    const value = Number(input);
    if (!Number.isSafeInteger(value) || value < min) throw new EnvError(`must be an integer >= ${min}`);
    if (value > max) throw new EnvError(`must be at most ${max}`);
    return value;
  });

/**
 * The longest delay Node's timers take (2^31 − 1 ms, about 24.8 days): a
 * longer one fires at once, so an interval set above it would run every
 * millisecond. Every duration setting is bounded by it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Durations in milliseconds that must be set to something (timeouts, intervals). */
export const positiveMs = intAtLeast(1, MAX_TIMER_MS);

/** Durations in milliseconds where 0 switches something off (cache TTLs, margins). */
export const nonNegativeMs = intAtLeast(0, MAX_TIMER_MS);

/** Timeouts, intervals and limits that must be set to something: 0 would mean never, or nothing. */
export const positiveInt = intAtLeast(1);

/** TTLs of caches, where 0 switches the cache off. */
export const nonNegativeInt = intAtLeast(0);
