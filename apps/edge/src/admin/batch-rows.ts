import { parse as parseCsv } from 'csv-parse/sync';
import { BATCH_CSV_COLUMNS, BatchRowInput, LIMITS, validatorFor, type BatchInput } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';

const bad = (param: string, detail: string) => new DenialException(DenialReason.InvalidRequest, { param, detail });
const rowValidator = validatorFor(BatchRowInput);

/**
 * The rows of a batch: `rows` as sent (the route's schema checked them), or
 * `csv` parsed and each line checked against the same row schema, a problem
 * named by its line (the header is line 1).
 */
export function batchRowsOf(body: BatchInput): BatchRowInput[] {
  if (body.rows !== undefined && body.csv !== undefined) throw bad('csv', 'send rows or csv, not both');
  if (body.rows !== undefined) return body.rows;
  if (body.csv === undefined) throw bad('rows', 'rows is required (or send csv)');
  const records = parseRecords(body.csv);
  if (records.length === 0) throw bad('csv', 'csv has no rows');
  if (records.length > LIMITS.batchRows) throw bad('csv', `csv must have at most ${LIMITS.batchRows} rows`);
  return records.map((record, index) => {
    const checked = rowValidator.check(record);
    if (!checked.ok) throw bad('csv', `line ${index + 2}: ${checked.problem.detail}`);
    return checked.value;
  });
}

function parseRecords(text: string): Record<string, string>[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv<Record<string, string>>(text, { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw bad('csv', `csv could not be parsed: ${error instanceof Error ? error.message : 'invalid'}`);
  }
  const header = Object.keys(records[0] ?? {});
  const missing = BATCH_CSV_COLUMNS.find((column) => records.length > 0 && !header.includes(column));
  if (missing) throw bad('csv', `csv must have the header ${BATCH_CSV_COLUMNS.join(',')} (${missing} is missing)`);
  return records;
}
