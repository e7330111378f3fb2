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

/** billing.acquire_grant (acquire-grants.sql), passed through by billing.acquire_grants. */
export const ACQUIRE_GRANTS_OUTCOMES = ['granted', 'few_left', 'duplicate', 'no_account'] as const;
export type AcquireGrantsOutcome = (typeof ACQUIRE_GRANTS_OUTCOMES)[number];

/** billing.return_grant (return-grants.sql), passed through by billing.return_grants. */
export const RETURN_GRANTS_OUTCOMES = ['returned', 'closed', 'not_open', 'unknown'] as const;
export type ReturnGrantsOutcome = (typeof RETURN_GRANTS_OUTCOMES)[number];

/**
 * billing.record_admission (record-admissions.sql), passed through by
 * billing.record_admissions; settle-holds.sql runs it too and reads nothing.
 */
export const RECORD_ADMISSION_OUTCOMES = ['recorded', 'recorded_outside_grant', 'duplicate', 'unknown_grant'] as const;
export type RecordAdmissionOutcome = (typeof RECORD_ADMISSION_OUTCOMES)[number];
