/**
 * The one CSV writer of the admin API's exports (the ledger, the request
 * log): RFC 4180 — CRLF line ends, a cell with a comma, quote or line break
 * quoted and its quotes doubled — and a guard against formula injection: a
 * text cell starting with =, +, - or @ is prefixed with ' so that a
 * spreadsheet opening the export shows it rather than runs it. A negative
 * number ("-1.500000") is a number, not a formula, and stays as it is.
 */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null;
}

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvHeader = <T>(columns: ReadonlyArray<CsvColumn<T>>): string =>
  columns.map((column) => csvCell(column.header)).join(',') + '\r\n';

export const csvLine = <T>(columns: ReadonlyArray<CsvColumn<T>>, row: T): string =>
  columns.map((column) => csvCell(column.value(row))).join(',') + '\r\n';

/** A header and every row, as one text. */
export const csvDocument = <T>(columns: ReadonlyArray<CsvColumn<T>>, rows: readonly T[]): string =>
  csvHeader(columns) + rows.map((row) => csvLine(columns, row)).join('');
