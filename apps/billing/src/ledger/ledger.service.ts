import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  LEDGER_ENTRY_TYPES,
  type BalanceView,
  type LedgerEntryView,
  type LedgerRequest,
  type Page,
} from '@tollgate/contracts';
import { isUuid, optionalInstant } from '../request-checks.js';
import { LEDGER_COLUMNS, toBalanceView, toLedgerEntryView, type AccountRow, type LedgerRow } from './ledger-entry.js';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

/**
 * `ledger` and `balance` reply with plain values in the contract, so they
 * cannot refuse: a request the edge should have validated (a bad cursor,
 * type or date) is a failure of the caller and throws; an unknown user
 * simply has no money and no entries.
 */
export class LedgerQueryError extends Error {
  override name = 'LedgerQueryError';
}

@Injectable()
export class LedgerService {
  constructor(private readonly db: DataSource) {}

  async balance(userId: string): Promise<BalanceView> {
    if (!isUuid(userId)) return toBalanceView(String(userId), undefined);
    const rows = await this.db.query<AccountRow[]>(
      `SELECT user_id, balance_micros, held_micros, updated_at FROM billing.accounts WHERE user_id = $1`,
      [userId],
    );
    return toBalanceView(userId, rows[0]);
  }

  /** A user's entries, newest first, filtered by type and time; `nextCursor` continues after the last one. */
  async page(request: LedgerRequest): Promise<Page<LedgerEntryView>> {
    if (!isUuid(request.userId)) return { data: [], nextCursor: null };
    const limit = Math.min(Math.max(Math.trunc(request.limit ?? DEFAULT_PAGE) || DEFAULT_PAGE, 1), MAX_PAGE);
    const where = ['user_id = $1'];
    const params: unknown[] = [request.userId];
    const add = (condition: (placeholder: string) => string, value: unknown): void => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (request.cursor !== undefined && request.cursor !== null) {
      if (typeof request.cursor !== 'string' || !/^\d{1,19}$/.test(request.cursor))
        throw new LedgerQueryError('bad cursor');
      add((p) => `id < ${p}::bigint`, request.cursor);
    }
    if (request.types !== undefined && request.types.length > 0) {
      if (!Array.isArray(request.types) || request.types.some((type) => !LEDGER_ENTRY_TYPES.includes(type))) {
        throw new LedgerQueryError(`types must be among ${LEDGER_ENTRY_TYPES.join(', ')}`);
      }
      add((p) => `type = ANY(${p}::text[])`, request.types);
    }
    const from = optionalInstant(request.from);
    const to = optionalInstant(request.to);
    if (from === 'invalid' || to === 'invalid') throw new LedgerQueryError('from and to must be ISO 8601 instants');
    if (from) add((p) => `created_at >= ${p}`, from);
    if (to) add((p) => `created_at < ${p}`, to);
    params.push(limit + 1);
    const rows = await this.db.query<LedgerRow[]>(
      `SELECT ${LEDGER_COLUMNS} FROM billing.ledger WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    return {
      data: page.map(toLedgerEntryView),
      nextCursor: rows.length > limit ? (page[page.length - 1]?.id.toString() ?? null) : null,
    };
  }
}
