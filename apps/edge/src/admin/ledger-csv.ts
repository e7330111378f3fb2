import type { LedgerEntryView, NamedLedgerEntryResponse } from '@tollgate/contracts';
import { toNamedLedgerResponse } from './admin-views.js';
import { csvDocument, type CsvColumn } from './csv-writer.js';
import type { Names } from './names.js';

/** The JSON entry's fields, in the order staff read them: each id followed by its name. */
const COLUMNS: Array<CsvColumn<NamedLedgerEntryResponse>> = [
  { header: 'id', value: (e) => e.id },
  { header: 'created_at', value: (e) => e.created_at },
  { header: 'user_id', value: (e) => e.user_id },
  { header: 'user_name', value: (e) => e.user_name },
  { header: 'type', value: (e) => e.type },
  { header: 'amount', value: (e) => e.amount },
  { header: 'balance_after', value: (e) => e.balance_after },
  { header: 'hold_id', value: (e) => e.hold_id },
  { header: 'actor', value: (e) => e.actor },
  { header: 'actor_name', value: (e) => e.actor_name },
  { header: 'reason', value: (e) => e.reason },
  { header: 'tid', value: (e) => e.tid },
  { header: 'idempotency_key', value: (e) => e.idempotency_key },
];

/** A ledger page as CSV, with the names its page was given (see `namesOf`). */
export const ledgerCsv = (entries: LedgerEntryView[], names: Names): string =>
  csvDocument(
    COLUMNS,
    entries.map((entry) => toNamedLedgerResponse(entry, names)),
  );
