export type Cell = string | number | bigint | boolean | null | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  /** Numbers and money read best right-aligned, so their decimal points line up. */
  align?: 'left' | 'right';
  /** Shown with --wide only: what would push a typical row past TABLE_WIDTH (ids the row's name already tells, extra parts). */
  wide?: boolean;
}

/** How wide a table's typical rows may be without --wide: a terminal of 120 columns. */
export const TABLE_WIDTH = 120;

export interface TableOptions {
  /** Every column, however wide the rows get (--wide). */
  wide?: boolean;
}

const ISO_UTC = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/;

/** An instant as a table shows it: `2026-12-02 16:40:35`, in UTC (as the API sends it); --json keeps the API's text. */
export function timeCell(value: string | null | undefined): Cell {
  const match = value ? ISO_UTC.exec(value) : null;
  return match ? `${match[1]} ${match[2]}` : value;
}

const GAP = '  ';

/**
 * Text from the server shown in a terminal: names, reasons and error texts
 * are user input, and an escape sequence in one could rewrite the operator's
 * screen, so control characters (newlines included) become spaces.
 */
export function cellText(value: Cell): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** Width in code points; good enough for ids, money and names (wide CJK glyphs would need a width table). */
const width = (text: string): number => [...text].length;

const pad = (text: string, size: number, align: 'left' | 'right'): string => {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
};

/**
 * Aligned columns under upper-case headers, kubectl-style; `empty` is
 * printed instead when there are no rows. The `wide` columns only with
 * `options.wide`.
 */
export function renderTable<T>(
  allColumns: ReadonlyArray<Column<T>>,
  rows: readonly T[],
  empty = '(none)',
  options: TableOptions = {},
): string {
  if (rows.length === 0) return `${empty}\n`;
  const columns = options.wide ? allColumns : allColumns.filter((column) => !column.wide);
  const headers = columns.map((column) => column.header.toUpperCase());
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = headers.map((header, index) => Math.max(width(header), ...cells.map((line) => width(line[index]))));
  const line = (values: string[]) =>
    values
      .map((value, index) => pad(value, widths[index], columns[index].align ?? 'left'))
      .join(GAP)
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n') + '\n';
}

/** One object as "label: value" lines with the values aligned. */
export function renderRecord(pairs: ReadonlyArray<readonly [string, Cell]>): string {
  if (pairs.length === 0) return '';
  const labelWidth = Math.max(...pairs.map(([label]) => width(label))) + 1;
  return pairs.map(([label, value]) => `${pad(`${label}:`, labelWidth, 'left')} ${cellText(value)}`).join('\n') + '\n';
}

/** A list for one cell: "a, b"; an empty or null list reads as `none`. */
export function listText(values: readonly string[] | null | undefined, none = '-'): string {
  return values && values.length > 0 ? values.join(', ') : none;
}

/**
 * What a table shows for a user or a key: its name, or its id when auth
 * knows no name for it (a service's actor, `settlement`, reads as itself),
 * so a row never reads as nobody. Cut to `max` either way, to keep the
 * table within TABLE_WIDTH; the whole ids are in --wide and --json.
 */
export function nameCell(name: string | null | undefined, id: string, max = 20): string {
  return clip(name === null || name === undefined || name === '' ? id : name, max);
}

/** A user or a key in a record: its name and its id, or the id alone when auth has no name. */
export const nameAndId = (name: string | null | undefined, id: string): string =>
  name === null || name === undefined || name === '' ? id : `${name} (${id})`;

/** Text cut to `max` code points, the cut marked with "…", so one long value cannot push a table past the screen. */
export function clip(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}
