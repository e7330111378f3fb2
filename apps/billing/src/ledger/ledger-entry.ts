import type { BalanceView, LedgerEntryType, LedgerEntryView } from '@tollgate/contracts';

/** A row of billing.ledger as pg returns it (bigint as string). */
export interface LedgerRow {
  id: string;
  user_id: string;
  type: LedgerEntryType;
  amount_micros: string;
  balance_after_micros: string;
  hold_id: string | null;
  actor: string;
  reason: string | null;
  tid: string | null;
  idempotency_key: string;
  created_at: Date;
}

export const LEDGER_COLUMNS =
  'id, user_id, type, amount_micros, balance_after_micros, hold_id, actor, reason, tid, idempotency_key, created_at';

export function toLedgerEntryView(row: LedgerRow): LedgerEntryView {
  return {
    id: String(row.id),
    userId: row.user_id,
    type: row.type,
    amountMicros: String(row.amount_micros),
    balanceAfterMicros: String(row.balance_after_micros),
    holdId: row.hold_id,
    actor: row.actor,
    reason: row.reason,
    tid: row.tid,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at.toISOString(),
  };
}

export interface AccountRow {
  user_id: string;
  balance_micros: string;
  held_micros: string;
  granted_micros: string;
  updated_at: Date;
}

/** The columns of billing.accounts an AccountRow holds. */
export const ACCOUNT_COLUMNS = 'user_id, balance_micros, held_micros, granted_micros, updated_at';

export function toBalanceView(userId: string, row: AccountRow | undefined): BalanceView {
  return {
    userId,
    balanceMicros: row ? String(row.balance_micros) : '0',
    heldMicros: row ? String(row.held_micros) : '0',
    grantedMicros: row ? String(row.granted_micros) : '0',
    updatedAt: row ? row.updated_at.toISOString() : null,
  };
}
