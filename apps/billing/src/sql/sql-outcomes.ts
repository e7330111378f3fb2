/**
 * The outcome strings billing's SQL functions return in `r_outcome`, declared
 * once. sql-outcomes.spec.ts reads the `.sql` files and fails when a function
 * returns a string that is not listed here, or no longer returns one that is.
 */

/** billing.reserve_hold (reserve-hold.sql), passed through by billing.reserve_holds: 'ok' or why it refused. */
export const RESERVE_HOLD_OUTCOMES = [
  'ok',
  'key_rate_limited',
  'user_rate_limited',
  'insufficient_user_quota',
  'key_budget_exceeded',
] as const;
export type ReserveHoldOutcome = (typeof RESERVE_HOLD_OUTCOMES)[number];

/** billing.settle_hold (settle-hold.sql), passed through by billing.settle_holds. */
export const SETTLE_HOLD_OUTCOMES = ['settled', 'released', 'not_open'] as const;
export type SettleHoldOutcome = (typeof SETTLE_HOLD_OUTCOMES)[number];
