import type { Command } from 'commander';
import { LIMITS } from '@tollgate/contracts';
import { adminPath, type AdminClient } from '../admin-client.js';
import type {
  AdjustmentResponse,
  BatchResponse,
  BatchRowResponse,
  FailedBatchRowResponse,
  ListResponse,
} from '../api-views.js';
import { readBatchFile, type BatchRow } from '../batch-file.js';
import { leaf, type CliContext } from '../cli-context.js';
import { ConnectionError } from '../cli-errors.js';
import { idempotencyKey, money, reason, uuid } from '../cli-input.js';
import { renderRecord, renderTable, type Column, type TableOptions } from '../table.js';

interface MoneyOptions {
  reason?: string;
  idempotencyKey?: string;
  allowNegative?: boolean;
}

const renderAdjustment = (result: AdjustmentResponse, verb: string): string => {
  const { entry, balance } = result;
  const headline = result.replayed
    ? `Already applied: idempotency key ${entry.idempotency_key} was used before; nothing changed this time.`
    : `${verb} ${entry.amount} for user ${entry.user_id}.`;
  return (
    `${headline}\n` +
    renderRecord([
      ['entry', entry.id],
      ['type', entry.type],
      ['amount', entry.amount],
      ['reason', entry.reason],
      ['idempotency key', entry.idempotency_key],
      ['recorded at', entry.created_at],
      ['balance now', balance.balance],
      ['held', balance.held],
    ])
  );
};

export const BATCH_COLUMNS: Array<Column<BatchRowResponse>> = [
  { header: '#', value: (r) => r.index + 1, align: 'right' },
  { header: 'user', value: (r) => r.user_id },
  { header: 'amount', value: (r) => r.amount, align: 'right' },
  { header: 'key', value: (r) => r.idempotency_key },
  { header: 'status', value: (r) => r.status },
  { header: 'before', value: (r) => r.balance_before, align: 'right', wide: true },
  { header: 'after', value: (r) => r.balance_after, align: 'right', wide: true },
  { header: 'error', value: (r) => r.message },
];

/** A failed row as the batch's answer lists it, with the key the file gave that row. */
const failedColumns = (sent: readonly BatchRow[]): Array<Column<FailedBatchRowResponse>> => [
  { header: '#', value: (r) => r.index + 1, align: 'right' },
  { header: 'user', value: (r) => r.user_id },
  { header: 'key', value: (r) => sent[r.index]?.idempotency_key ?? '' },
  { header: 'error', value: (r) => r.error },
  { header: 'message', value: (r) => r.message },
];

/** Every row's result of a batch, page after page (a batch has at most LIMITS.batchRows rows). */
async function allBatchRows(client: AdminClient, batchId: string): Promise<BatchRowResponse[]> {
  const rows: BatchRowResponse[] = [];
  let cursor: string | null = null;
  do {
    const page: ListResponse<BatchRowResponse> = await client.get<ListResponse<BatchRowResponse>>(
      adminPath`adjustments/batches/${batchId}/rows`,
      { limit: LIMITS.batchRowsPage, cursor },
    );
    rows.push(...page.data);
    cursor = page.next_cursor ?? null;
  } while (cursor !== null);
  return rows;
}

/**
 * A lost connection leaves a money command's outcome unknown. Because the
 * key makes it idempotent, the answer is always the same: run it again.
 */
async function retryable<T>(request: Promise<T>, again: string): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error;
    throw new ConnectionError(
      `${error.message}\n  The change may or may not have been made. ${again}: it cannot be applied twice.`,
    );
  }
}

const totalOf = (batch: BatchResponse): number => Object.values(batch.counts).reduce((sum, count) => sum + count, 0);

/** One line that says plainly whether money moved. */
function batchSummary(batch: BatchResponse): string {
  const rows = totalOf(batch);
  const errors = batch.counts.error;
  if (batch.dry_run) {
    return errors === 0
      ? `Dry run: all ${rows} row(s) would apply. Nothing was changed.`
      : `Dry run: ${errors} of ${rows} row(s) have errors; the batch would not be applied. Nothing was changed.`;
  }
  if (batch.applied) {
    // New and replayed apart: a batch sent again reads as nothing new, not as every row committed again.
    const { applied, replayed } = batch.counts;
    const unchanged = applied === 0 ? ' Nothing changed this time.' : '';
    return `Applied: ${applied} row(s) new, ${replayed} replayed (already applied).${unchanged}`;
  }
  return `NOT applied: ${errors} row(s) with errors, so no row was applied (all or nothing). Nothing was changed.`;
}

/**
 * A dry run shows every row's effect, which is what it is for; a real run
 * shows the rows that failed, if any. Both end with the counts and the
 * batch's id, under which every row stays readable.
 */
async function renderBatch(
  client: AdminClient,
  batch: BatchResponse,
  sent: readonly BatchRow[],
  options: TableOptions,
): Promise<string> {
  const table = batch.dry_run
    ? renderTable(BATCH_COLUMNS, await allBatchRows(client, batch.id), '(none)', options)
    : batch.failed_rows.length > 0
      ? renderTable(failedColumns(sent), batch.failed_rows)
      : '';
  return `${table}${batchSummary(batch)}\nBatch ${batch.id}: \`tollgate batch-rows ${batch.id}\` lists every row.\n`;
}

/** A dry run fails only on errors; a real run also fails whenever it was not committed. */
export function batchFailed(batch: BatchResponse): boolean {
  return batch.counts.error > 0 || (!batch.dry_run && !batch.applied);
}

export function registerMoneyCommands(program: Command, ctx: CliContext): void {
  leaf(program, 'topup <userId> <amount>', 'add money to a balance (safe to re-run with the same key)')
    .option('--reason <text>', 'why; kept in the ledger (required)')
    .option('--idempotency-key <key>', 'names this top-up; the same key again changes nothing (required)')
    .addHelpText(
      'after',
      '\nExample:\n  tollgate topup <userId> 25.00 --reason "invoice 42 paid" --idempotency-key invoice-42\n',
    )
    .action(async (userId: string, amount: string, options: MoneyOptions, command: Command) => {
      const body = {
        amount: money(amount, 'amount', 'positive'),
        reason: reason(options.reason),
        idempotency_key: idempotencyKey(options.idempotencyKey),
      };
      const result = await retryable(
        ctx.client().post<AdjustmentResponse>(adminPath`users/${uuid(userId, 'userId')}/topups`, body),
        'Run the same command again (same --idempotency-key) to find out',
      );
      ctx.print(command, result, () => renderAdjustment(result, 'Topped up'));
    });

  leaf(program, 'adjust <userId> <amount>', 'correct a balance by a signed amount (safe to re-run with the same key)')
    .option('--reason <text>', 'why; kept in the ledger (required)')
    .option('--idempotency-key <key>', 'names this adjustment; the same key again changes nothing (required)')
    .option('--allow-negative', 'let a debit take the balance below zero')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  tollgate adjust <userId> -2.50 --reason "refund of double charge" --idempotency-key ticket-981\n' +
        '  tollgate adjust <userId> 1.25 --reason "goodwill credit" --idempotency-key ticket-982\n',
    )
    .action(async (userId: string, amount: string, options: MoneyOptions, command: Command) => {
      const body = {
        amount: money(amount, 'amount', 'non-zero'),
        reason: reason(options.reason),
        idempotency_key: idempotencyKey(options.idempotencyKey),
        ...(options.allowNegative ? { allow_negative: true } : {}),
      };
      const result = await retryable(
        ctx.client().post<AdjustmentResponse>(adminPath`users/${uuid(userId, 'userId')}/adjustments`, body),
        'Run the same command again (same --idempotency-key) to find out',
      );
      ctx.print(command, result, () => renderAdjustment(result, 'Adjusted by'));
    });

  leaf(program, 'batch-adjust <file>', 'many adjustments from CSV or JSON, all or nothing; exits 1 unless applied')
    .option('--dry-run', 'check every row and show its effect without changing anything')
    .option('--allow-negative', 'let debits take balances below zero')
    .addHelpText(
      'after',
      '\nThe file is CSV with the header user_id,amount,reason,idempotency_key, or a JSON array of\n' +
        'objects with those fields (amounts as strings, e.g. "-2.50"). Every row needs its own\n' +
        'idempotency key, so a batch that timed out can simply be sent again.\n' +
        '\nExample:\n  tollgate batch-adjust credits.csv --dry-run && tollgate batch-adjust credits.csv\n',
    )
    .action(async (file: string, options: { dryRun?: boolean; allowNegative?: boolean }, command: Command) => {
      const rows = readBatchFile(file, ctx.deps.readFile);
      const body = {
        rows,
        dry_run: options.dryRun === true,
        ...(options.allowNegative ? { allow_negative: true } : {}),
      };
      const client = ctx.client();
      const request = client.post<BatchResponse>('adjustments/batch', body);
      const batch = body.dry_run
        ? await request
        : await retryable(request, 'Send the same file again to find out (applied rows come back as replayed)');
      const text = ctx.wantsJson(command) ? '' : await renderBatch(client, batch, rows, ctx.tableOptions(command));
      ctx.print(command, batch, () => text);
      if (batchFailed(batch)) ctx.fail();
    });

  leaf(program, 'batch-rows <batchId>', "every row's result of a batch, as batch-adjust named it")
    .addHelpText('after', '\nExample:\n  tollgate batch-rows 0b5f2a52-4a8e-4b8f-9c57-2f2d5a3c1e7d --json\n')
    .action(async (batchId: string, _options: unknown, command: Command) => {
      const rows = await allBatchRows(ctx.client(), uuid(batchId, 'batchId'));
      const list: ListResponse<BatchRowResponse> = { object: 'list', data: rows };
      ctx.print(command, list, () => renderTable(BATCH_COLUMNS, rows, '(no rows)', ctx.tableOptions(command)));
    });
}
