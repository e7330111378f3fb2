import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { messageOf, UsageError } from './cli-errors.js';
import { idempotencyKey, money, reason, uuid } from './cli-input.js';

/** One adjustment as POST /admin/v1/adjustments/batch takes it. */
export interface BatchRow {
  user_id: string;
  amount: string;
  reason: string;
  idempotency_key: string;
}

export const BATCH_COLUMNS = ['user_id', 'amount', 'reason', 'idempotency_key'] as const;
type BatchColumn = (typeof BATCH_COLUMNS)[number];

/** Enough problems to fix a file in one go without flooding the terminal. */
const MAX_PROBLEMS_SHOWN = 20;

/** A row as read from the file, before checking, with where it came from for messages. */
interface RawRow {
  where: string;
  fields: Partial<Record<BatchColumn, unknown>>;
}

/**
 * Reads a batch file: CSV with the header user_id,amount,reason,idempotency_key,
 * or a JSON array of objects with those fields. Every row is checked here, and
 * every problem is reported at once, so a file with a typo is fixed before
 * anything is sent (the server would refuse the whole batch anyway).
 */
export function readBatchFile(
  path: string,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): BatchRow[] {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new UsageError(`batch file ${path} does not exist`);
    if (code === 'EISDIR') throw new UsageError(`batch file ${path} is a directory`);
    throw new UsageError(`batch file ${path} could not be read: ${messageOf(error)}`);
  }
  return parseBatchFile(path, text);
}

export function parseBatchFile(path: string, text: string): BatchRow[] {
  const raw = isJson(path, text) ? jsonRows(path, text) : csvRows(path, text);
  if (raw.length === 0) throw new UsageError(`batch file ${path} has no rows`);
  return checkRows(path, raw);
}

/** By extension; otherwise by content, since a JSON batch is always an array. */
function isJson(path: string, text: string): boolean {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return true;
  if (extension === '.csv') return false;
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('[');
}

function jsonRows(path: string, text: string): RawRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`batch file ${path} is not valid JSON: ${messageOf(error)}`);
  }
  if (!Array.isArray(parsed)) {
    throw new UsageError(`batch file ${path} must hold a JSON array of {${BATCH_COLUMNS.join(', ')}} objects`);
  }
  return parsed.map((item: unknown, index) => {
    const where = `row ${index + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) return { where, fields: {} };
    return { where, fields: item };
  });
}

function csvRows(path: string, text: string): RawRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parseCsv(text, { bom: true, info: true, skip_empty_lines: true, trim: true }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
  } catch (error) {
    throw new UsageError(`batch file ${path} is not valid CSV: ${messageOf(error)}`);
  }
  const [header, ...body] = records;
  if (!header) throw new UsageError(`batch file ${path} is empty`);
  const names = header.record.map((name) => name.toLowerCase());
  const missing = BATCH_COLUMNS.filter((column) => !names.includes(column));
  const unknown = names.filter((name) => !(BATCH_COLUMNS as readonly string[]).includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    // A misspelt column would otherwise read as a missing value on every row.
    throw new UsageError(
      `batch file ${path} must start with the header ${BATCH_COLUMNS.join(',')}` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (unknown.length ? `; unknown: ${unknown.join(', ')}` : ''),
    );
  }
  return body.map(({ record, info }) => ({
    where: `line ${info.lines}`,
    fields: Object.fromEntries(names.map((name, index) => [name, record[index]])),
  }));
}

function checkRows(path: string, raw: RawRow[]): BatchRow[] {
  const problems: string[] = [];
  const seenKeys = new Map<string, string>();
  const rows: BatchRow[] = [];
  for (const { where, fields } of raw) {
    /** One field through its check; a problem is noted (not thrown) so every row gets looked at. */
    const field = (column: BatchColumn, parse: (text: string | undefined) => string): string | undefined => {
      const value = fields[column];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        // JSON numbers are binary floats; money is only ever taken as exact decimal text.
        problems.push(`${where}: ${column} must be a string${column === 'amount' ? ' such as "12.50"' : ''}`);
        return undefined;
      }
      try {
        return parse(value ?? undefined);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        problems.push(`${where}: ${error.message}`);
        return undefined;
      }
    };
    const user_id = field('user_id', (text) => uuid(text, 'user_id'));
    const amount = field('amount', (text) => money(text, 'amount', 'non-zero'));
    const why = field('reason', (text) => reason(text, 'reason'));
    const key = field('idempotency_key', (text) => idempotencyKey(text, 'idempotency_key'));
    if (key !== undefined) {
      const first = seenKeys.get(key);
      if (first) problems.push(`${where}: idempotency_key "${key}" is also used on ${first}`);
      else seenKeys.set(key, where);
    }
    if (user_id !== undefined && amount !== undefined && why !== undefined && key !== undefined) {
      rows.push({ user_id, amount, reason: why, idempotency_key: key });
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((problem) => `  ${problem}`);
    const more = problems.length > MAX_PROBLEMS_SHOWN ? [`  … and ${problems.length - MAX_PROBLEMS_SHOWN} more`] : [];
    throw new UsageError(
      [`batch file ${path} has ${problems.length} problem(s); nothing was sent:`, ...shown, ...more].join('\n'),
    );
  }
  return rows;
}
