import { formatMoney, type LedgerEntryView } from '@tollgate/contracts';

const COLUMNS = [
  'id',
  'created_at',
  'user_id',
  'type',
  'amount',
  'balance_after',
  'hold_id',
  'actor',
  'reason',
  'tid',
  'idempotency_key',
];

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula. */
function cell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function ledgerCsv(entries: LedgerEntryView[]): string {
  const rows = entries.map((e) =>
    [
      e.id,
      e.createdAt,
      e.userId,
      e.type,
      formatMoney(e.amountMicros),
      formatMoney(e.balanceAfterMicros),
      e.holdId,
      e.actor,
      e.reason,
      e.tid,
      e.idempotencyKey,
    ]
      .map(cell)
      .join(','),
  );
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
