import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ok,
  type Reply,
  type BalanceView,
  type LedgerEntryView,
  type LedgerRequest,
  type Page,
} from '@tollgate/contracts';
import {
  ACCOUNT_COLUMNS,
  LEDGER_COLUMNS,
  toBalanceView,
  toLedgerEntryView,
  type AccountRow,
  type LedgerRow,
} from './ledger-entry.js';

const DEFAULT_PAGE = 50;

@Injectable()
export class LedgerService {
  constructor(private readonly db: DataSource) {}

  async balance(userId: string): Promise<BalanceView> {
    const rows = await this.db.query<AccountRow[]>(
      `SELECT ${ACCOUNT_COLUMNS} FROM billing.accounts WHERE user_id = $1`,
      [userId],
    );
    return toBalanceView(userId, rows[0]);
  }

  /** A user's entries, newest first, filtered by type, time and tid; `nextCursor` continues after the last one. */
  /** An unknown user simply has no entries. */
  async page(request: LedgerRequest): Promise<Reply<Page<LedgerEntryView>>> {
    const limit = request.limit ?? DEFAULT_PAGE;
    const where = ['user_id = $1'];
    const params: unknown[] = [request.userId];
    const add = (condition: (placeholder: string) => string, value: unknown): void => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (request.cursor) add((p) => `id < ${p}::bigint`, request.cursor);
    if (request.types !== undefined && request.types.length > 0) add((p) => `type = ANY(${p}::text[])`, request.types);
    if (request.from) add((p) => `created_at >= ${p}`, new Date(request.from));
    if (request.to) add((p) => `created_at < ${p}`, new Date(request.to));
    if (request.tid) add((p) => `tid = ${p}`, request.tid.toLowerCase());
    params.push(limit + 1);
    const rows = await this.db.query<LedgerRow[]>(
      `SELECT ${LEDGER_COLUMNS} FROM billing.ledger WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    return ok({
      data: page.map(toLedgerEntryView),
      nextCursor: rows.length > limit ? (page[page.length - 1]?.id.toString() ?? null) : null,
    });
  }
}
