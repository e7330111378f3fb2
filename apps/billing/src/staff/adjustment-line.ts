import { normalizeIdempotencyKey, type BatchAdjustRow } from '@tollgate/contracts';
import type { AdjustmentLine } from './adjustment-ledger.js';

/**
 * A checked request's balance change as a ledger line. The user id in lower
 * case, as PostgreSQL hands uuids back, and the idempotency key in Unicode
 * NFC, so that a key compares like with like however the id or the key was
 * spelled; the reason as staff meant it, without surrounding spaces.
 */
export function toAdjustmentLine(fields: BatchAdjustRow, type: AdjustmentLine['type']): AdjustmentLine {
  return {
    userId: fields.userId.toLowerCase(),
    type,
    amount: BigInt(fields.amountMicros),
    reason: fields.reason.trim(),
    idempotencyKey: normalizeIdempotencyKey(fields.idempotencyKey),
  };
}
