import { formatMoney, type LedgerEntryView } from '@tollgate/contracts';
import { csvDocument, type CsvColumn } from './csv-writer.js';

const COLUMNS: Array<CsvColumn<LedgerEntryView>> = [
  { header: 'id', value: (e) => e.id },
  { header: 'created_at', value: (e) => e.createdAt },
  { header: 'user_id', value: (e) => e.userId },
  { header: 'type', value: (e) => e.type },
  { header: 'amount', value: (e) => formatMoney(e.amountMicros) },
  { header: 'balance_after', value: (e) => formatMoney(e.balanceAfterMicros) },
  { header: 'hold_id', value: (e) => e.holdId },
  { header: 'actor', value: (e) => e.actor },
  { header: 'reason', value: (e) => e.reason },
  { header: 'tid', value: (e) => e.tid },
  { header: 'idempotency_key', value: (e) => e.idempotencyKey },
];

export const ledgerCsv = (entries: LedgerEntryView[]): string => csvDocument(COLUMNS, entries);
