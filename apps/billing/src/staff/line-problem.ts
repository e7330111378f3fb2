/**
 * Billing's sentences about a line that cannot apply. They name no text a
 * client sent (not even the idempotency key, which the client has), only ids
 * and numbers, so each is short printable ASCII whatever the line held: the
 * reply to a batch lists up to LIMITS.batchRows of them (BatchRowMessage).
 */
export const lineProblem = {
  unknownUser: (userId: string): string => `no such user ${userId}`,
  keyRepeated: (firstIndex: number): string =>
    `the idempotency key is also on the row at index ${firstIndex} of this request`,
  keyReused: (entryId: string): string =>
    `the idempotency key was already used for a different change (ledger entry ${entryId})`,
  /** `granted`: micro-units of the balance earmarked by credit grants, which a debit may not take. */
  belowZero: (userId: string, before: bigint, amount: bigint, granted = 0n): string =>
    granted === 0n
      ? `would take the balance of ${userId} below zero (${before} + ${amount} micros)`
      : `would take what ${userId} can spend below zero (${before} + ${amount} micros, ${granted} granted)`,
};
