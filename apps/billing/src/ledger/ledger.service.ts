import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  LEDGER_ENTRY_TYPES,
  ok,
  refused,
  type Reply,
  type BalanceView,
  type LedgerEntryView,
  type LedgerRequest,
  type Page,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { isUuid, optionalInstant } from '../request-checks.js';
import { LEDGER_COLUMNS, toBalanceView, toLedgerEntryView, type AccountRow, type LedgerRow } from './ledger-entry.js';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

const invalid = (param: string, detail: string) => refused<never>(deny(DenialReason.InvalidRequest, { param, detail }));

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
  /** An unknown user simply has no entries; a malformed filter is refused with the field named. */
  async page(request: LedgerRequest): Promise<Reply<Page<LedgerEntryView>>> {
    if (!isUuid(request.userId)) return ok({ data: [], nextCursor: null });
    const limit = Math.min(Math.max(Math.trunc(request.limit ?? DEFAULT_PAGE) || DEFAULT_PAGE, 1), MAX_PAGE);
    const where = ['user_id = $1'];
    const params: unknown[] = [request.userId];
    const add = (condition: (placeholder: string) => string, value: unknown): void => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (request.cursor !== undefined && request.cursor !== null) {
      if (typeof request.cursor !== 'string' || !/^\d{1,19}$/.test(request.cursor)) {
        return invalid('cursor', 'cursor is not one this API returned');
      }
      add((p) => `id < ${p}::bigint`, request.cursor);
    }
    if (request.types !== undefined && request.types.length > 0) {
      if (!Array.isArray(request.types) || request.types.some((type) => !LEDGER_ENTRY_TYPES.includes(type))) {
        return invalid('type', `type must be among ${LEDGER_ENTRY_TYPES.join(', ')}`);
      }
      add((p) => `type = ANY(${p}::text[])`, request.types);
    }
    const from = optionalInstant(request.from);
    const to = optionalInstant(request.to);
    if (from === 'invalid' || to === 'invalid') return invalid('from', 'from and to must be ISO 8601 instants');
    if (from) add((p) => `created_at >= ${p}`, from);
    if (to) add((p) => `created_at < ${p}`, to);
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
