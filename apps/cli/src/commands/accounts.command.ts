import type { Command } from 'commander';
import { adminPath } from '../admin-client.js';
import type {
  BalanceResponse,
  GrantResponse,
  HoldResponse,
  ListResponse,
  NamedLedgerEntryResponse,
} from '../api-views.js';
import { leaf, type CliContext } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { integer, isoDate, ledgerTypes, tid, uuid } from '../cli-input.js';
import { nameCell, renderRecord, renderTable, timeCell, type Column } from '../table.js';

export const HOLD_COLUMNS: Array<Column<HoldResponse>> = [
  { header: 'id', value: (h) => h.id, wide: true },
  { header: 'key', value: (h) => h.key_id, wide: true },
  { header: 'model', value: (h) => h.model },
  { header: 'amount', value: (h) => h.amount, align: 'right' },
  { header: 'created', value: (h) => timeCell(h.created_at) },
  { header: 'expires', value: (h) => timeCell(h.expires_at) },
  { header: 'tid', value: (h) => h.tid },
];

export const GRANT_COLUMNS: Array<Column<GrantResponse>> = [
  { header: 'id', value: (g) => g.id },
  { header: 'edge', value: (g) => g.edge_id, wide: true },
  { header: 'key', value: (g) => g.key_id, wide: true },
  { header: 'model', value: (g) => g.model },
  { header: 'status', value: (g) => g.status },
  { header: 'unused', value: (g) => g.unused, align: 'right' },
  { header: 'expires', value: (g) => timeCell(g.expires_at) },
];

export const LEDGER_COLUMNS: Array<Column<NamedLedgerEntryResponse>> = [
  { header: 'id', value: (e) => e.id, align: 'right' },
  { header: 'created', value: (e) => timeCell(e.created_at) },
  { header: 'type', value: (e) => e.type },
  { header: 'amount', value: (e) => e.amount, align: 'right' },
  { header: 'balance after', value: (e) => e.balance_after, align: 'right' },
  { header: 'by', value: (e) => nameCell(e.actor_name, e.actor, 14) },
  { header: 'actor', value: (e) => e.actor, wide: true },
  { header: 'reason', value: (e) => e.reason },
  { header: 'idempotency key', value: (e) => e.idempotency_key, wide: true },
];

interface LedgerOptions {
  type?: string;
  from?: string;
  to?: string;
  tid?: string;
  limit?: string;
  cursor?: string;
  csv?: boolean;
}

export function registerAccountCommands(program: Command, ctx: CliContext): void {
  leaf(program, 'balance <userId>', "a user's balance and the amount held by requests in flight").action(
    async (userId: string, _options: unknown, command: Command) => {
      const balance = await ctx.client().get<BalanceResponse>(adminPath`users/${uuid(userId, 'userId')}/balance`);
      ctx.print(command, balance, () =>
        renderRecord([
          ['user', balance.user_id],
          ['balance', balance.balance],
          ['held', balance.held],
          ['granted', balance.granted],
          ['available', balance.available],
          ['updated', balance.updated_at],
        ]),
      );
    },
  );

  leaf(program, 'holds <userId>', "a user's open holds").action(
    async (userId: string, _options: unknown, command: Command) => {
      const holds = await ctx
        .client()
        .get<ListResponse<HoldResponse>>(adminPath`users/${uuid(userId, 'userId')}/holds`);
      ctx.print(command, holds, () =>
        renderTable(HOLD_COLUMNS, holds.data, '(no open holds)', ctx.tableOptions(command)),
      );
    },
  );

  leaf(program, 'grants <userId>', "a user's credit grants: what each edge may still admit, and what it used").action(
    async (userId: string, _options: unknown, command: Command) => {
      const grants = await ctx
        .client()
        .get<ListResponse<GrantResponse>>(adminPath`users/${uuid(userId, 'userId')}/grants`);
      ctx.print(command, grants, () =>
        renderTable(GRANT_COLUMNS, grants.data, '(no grants)', ctx.tableOptions(command)),
      );
    },
  );

  leaf(program, 'ledger <userId>', "a user's ledger, newest first")
    .option(
      '--type <types>',
      'only these entry types, comma-separated (topup, adjustment, hold, charge, release, expiry)',
    )
    .option('--from <date>', 'entries at or after this ISO 8601 date or date-time')
    .option('--to <date>', 'entries before this ISO 8601 date or date-time')
    .option('--tid <tid>', 'only the entries written under this tid (a request, or a staff change)')
    .option('--limit <n>', 'entries per page, 1–1000 (default 100; 1000 with --csv)')
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--csv', "print the API's CSV export instead of a table")
    .action(async (userId: string, options: LedgerOptions, command: Command) => {
      const path = adminPath`users/${uuid(userId, 'userId')}/ledger`;
      const query = {
        type: ledgerTypes(options.type)?.join(','),
        from: isoDate(options.from, '--from'),
        to: isoDate(options.to, '--to'),
        tid: options.tid === undefined ? undefined : tid(options.tid, '--tid'),
        limit: options.limit === undefined ? undefined : integer(options.limit, '--limit', { min: 1, max: 1000 }),
        cursor: options.cursor,
      };
      if (options.csv && ctx.wantsJson(command)) throw new UsageError('--csv and --json cannot be combined');
      if (options.csv) {
        const { text, headers } = await ctx.client().getText(path, { ...query, format: 'csv' });
        ctx.deps.io.stdout(text);
        const next = headers.get('x-next-cursor');
        if (next) ctx.note(`more entries: --cursor ${next}`);
        return;
      }
      const page = await ctx.client().get<ListResponse<NamedLedgerEntryResponse>>(path, query);
      ctx.print(command, page, () =>
        renderTable(LEDGER_COLUMNS, page.data, '(no ledger entries)', ctx.tableOptions(command)),
      );
      if (page.next_cursor && !ctx.wantsJson(command)) ctx.note(`more entries: --cursor ${page.next_cursor}`);
    });
}
