import { EnvError, makeValidator } from 'envalid';

/**
 * An integer setting with a lower bound. Timeouts, intervals and limits are
 * declared with one, so that `NATS_REQUEST_TIMEOUT_MS=0` (a request that can
 * never be answered) or `MAINTENANCE_INTERVAL_MS=-1` (a busy loop) stops
 * start-up instead of breaking the service quietly.
 */
export const intAtLeast = (min: number) =>
  makeValidator<number>((input: string) => {
    const value = Number(input);
    if (!Number.isSafeInteger(value) || value < min) throw new EnvError(`must be an integer >= ${min}`);
    return value;
  });

/** Timeouts, intervals and limits that must be set to something: 0 would mean never, or nothing. */
export const positiveInt = intAtLeast(1);

/** TTLs of caches, where 0 switches the cache off. */
export const nonNegativeInt = intAtLeast(0);
