import { QueryFailedError } from 'typeorm';

/** PostgreSQL's unique_violation: here, an idempotency key written by a concurrent transaction. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  return (
    typeof driverError === 'object' && driverError !== null && 'code' in driverError && driverError.code === '23505'
  );
}
