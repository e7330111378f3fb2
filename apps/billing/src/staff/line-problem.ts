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
  belowZero: (userId: string, before: bigint, amount: bigint): string =>
    `would take the balance of ${userId} below zero (${before} + ${amount} micros)`,
};
