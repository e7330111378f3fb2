import { api, type Query } from './client';

/**
 * The most pages one export follows: 100 pages of 1,000 entries. Past that
 * the browser would hold a file of tens of megabytes in memory; the caller
 * says so and asks for a narrower filter instead of freezing the tab.
 */
export const MAX_EXPORT_PAGES = 100;
const EXPORT_PAGE_SIZE = 1000;

export interface CsvExport {
  /** The whole CSV: one header line, then every page's rows in order. */
  text: string;
  rows: number;
  /** True when MAX_EXPORT_PAGES were read and the API still had more. */
  truncated: boolean;
}

/**
 * Every row a filter matches, as one CSV: the admin API exports a page at a
 * time (`format=csv`) and names the next one in X-Next-Cursor, so this reads
 * page after page and joins them, keeping the first page's header only.
 * `onProgress` hears the row count after each page.
 */
export async function exportCsv(
  path: string,
  query: Query,
  onProgress: (rows: number) => void = () => undefined,
  signal?: AbortSignal,
): Promise<CsvExport> {
  let header = '';
  const bodies: string[] = [];
  let rows = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_EXPORT_PAGES; page++) {
    const { text, headers } = await api.getText(
      path,
      { ...query, cursor, limit: EXPORT_PAGE_SIZE, format: 'csv' },
      signal,
    );
    // The header is one line of plain column names; a quoted field may hold a line break, a header never does.
    const end = text.indexOf('\r\n');
    const body = end === -1 ? '' : text.slice(end + 2);
    if (page === 0) header = end === -1 ? text : text.slice(0, end + 2);
    if (body !== '') {
      bodies.push(body);
      rows += countRows(body);
    }
    onProgress(rows);
    cursor = headers.get('x-next-cursor') ?? undefined;
    if (!cursor) return { text: header + bodies.join(''), rows, truncated: false };
  }
  return { text: header + bodies.join(''), rows, truncated: true };
}

/** Records in a CSV body (RFC 4180, CRLF after each): line breaks outside quotes. */
export function countRows(body: string): number {
  let rows = 0;
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) rows++;
  }
  return rows;
}

/** Hands `text` to the browser as a file download named `name`. */
export function saveFile(text: string, name: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The download has its own copy once it starts; the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
