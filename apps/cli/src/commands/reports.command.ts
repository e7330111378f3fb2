import type { Command } from 'commander';
import type { ReconcileResponse, UsageResponse, UsageRowResponse } from '../api-views.js';
import { leaf, type CliContext } from '../cli-context.js';
import { isoDate, keyIdFilter, requiredText, uuid } from '../cli-input.js';
import { nameCell, renderRecord, renderTable, type Column } from '../table.js';

export const USAGE_COLUMNS: Array<Column<UsageRowResponse>> = [
  { header: 'day', value: (r) => r.day },
  { header: 'user', value: (r) => nameCell(r.user_name, r.user_id, 18) },
  { header: 'user id', value: (r) => r.user_id, wide: true },
  { header: 'key', value: (r) => nameCell(r.key_name, r.key_id, 16) },
  { header: 'key id', value: (r) => r.key_id, wide: true },
  { header: 'model', value: (r) => r.model },
  { header: 'requests', value: (r) => r.requests, align: 'right' },
  { header: 'failed', value: (r) => r.failed_requests, align: 'right', wide: true },
  { header: 'input tok', value: (r) => r.input_tokens, align: 'right' },
  { header: 'cached', value: (r) => r.cached_input_tokens, align: 'right', wide: true },
  { header: 'cache write', value: (r) => r.cache_write_tokens, align: 'right', wide: true },
  { header: 'output tok', value: (r) => r.output_tokens, align: 'right' },
  { header: 'reasoning', value: (r) => r.reasoning_tokens, align: 'right', wide: true },
  { header: 'images', value: (r) => r.images, align: 'right', wide: true },
  { header: 'chars', value: (r) => r.characters, align: 'right', wide: true },
  { header: 'audio s', value: (r) => r.audio_seconds, align: 'right', wide: true },
  { header: 'cost', value: (r) => r.cost, align: 'right' },
];

type Difference = ReconcileResponse['differences'][number];
export const DIFFERENCE_COLUMNS: Array<Column<Difference>> = [
  { header: 'kind', value: (d) => d.kind },
  { header: 'user', value: (d) => d.user_id },
  { header: 'key', value: (d) => d.key_id, wide: true },
  { header: 'recorded', value: (d) => d.recorded, align: 'right' },
  { header: 'expected', value: (d) => d.expected, align: 'right' },
  { header: 'difference', value: (d) => d.difference, align: 'right' },
];

type AccountWithoutUser = ReconcileResponse['accounts_without_user'][number];
const ACCOUNT_WITHOUT_USER_COLUMNS: Array<Column<AccountWithoutUser>> = [
  { header: 'account without a user', value: (a) => a.user_id },
  { header: 'balance', value: (a) => a.balance, align: 'right' },
  { header: 'held', value: (a) => a.held, align: 'right' },
];

/** What reconcile found, in words: "ok: no differences", or how many of each problem. */
function verdict(report: ReconcileResponse): string {
  const problems = [
    report.differences.length > 0 ? `${report.differences.length} difference(s)` : null,
    report.accounts_without_user.length > 0 ? `${report.accounts_without_user.length} account(s) without a user` : null,
  ].filter((problem) => problem !== null);
  return report.ok && problems.length === 0 ? 'ok: no differences' : problems.join(', ');
}

interface UsageOptions {
  from?: string;
  to?: string;
  user?: string;
  key?: string;
  model?: string;
}

export function registerReportCommands(program: Command, ctx: CliContext): void {
  leaf(program, 'usage', 'usage and cost by day, user, key and model')
    .option('--from <date>', 'usage at or after this ISO 8601 date or date-time')
    .option('--to <date>', 'usage before this ISO 8601 date or date-time')
    .option('--user <userId>', 'only this user')
    // The global admin key goes before the command (tollgate --key K usage), so here --key is free for the filter.
    .option('--key <keyId>', 'only this API key (its id)')
    .option('--model <model>', 'only this model')
    .action(async (options: UsageOptions, command: Command) => {
      const query = {
        from: isoDate(options.from, '--from'),
        to: isoDate(options.to, '--to'),
        user_id: options.user === undefined ? undefined : uuid(options.user, '--user'),
        key_id: options.key === undefined ? undefined : keyIdFilter(options.key, 'usage'),
        model: options.model === undefined ? undefined : requiredText(options.model, '--model', 200),
      };
      const report = await ctx.client().get<UsageResponse>('usage', query);
      ctx.print(command, report, () =>
        renderTable(USAGE_COLUMNS, report.data, '(no usage)', ctx.tableOptions(command)),
      );
      if (report.truncated && !ctx.wantsJson(command)) {
        ctx.note('more rows matched than were returned; narrow the report with --from/--to, --user, --key or --model');
      }
    });

  leaf(
    program,
    'reconcile',
    'check every balance against its ledger and holds, and every account against the users auth knows; exits 1 on any problem',
  ).action(async (_options: unknown, command: Command) => {
    const report = await ctx.client().get<ReconcileResponse>('reconcile');
    const clean = report.ok && report.differences.length === 0 && report.accounts_without_user.length === 0;
    ctx.print(command, report, () =>
      [
        renderRecord([
          ['checked at', report.checked_at],
          ['accounts', report.accounts],
          ['keys', report.keys],
          ['result', verdict(report)],
        ]),
        report.differences.length === 0
          ? ''
          : `\n${renderTable(DIFFERENCE_COLUMNS, report.differences, '(none)', ctx.tableOptions(command))}`,
        report.accounts_without_user.length === 0
          ? ''
          : `\n${renderTable(ACCOUNT_WITHOUT_USER_COLUMNS, report.accounts_without_user)}`,
      ].join(''),
    );
    if (!clean) ctx.fail();
  });
}
