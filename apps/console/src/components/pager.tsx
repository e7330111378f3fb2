import { useCallback, useState } from 'react';

/**
 * Where a cursor-paginated list is: the admin API pages forward only
 * (`cursor` = the previous page's `next_cursor`), so the way back is the
 * cursors already seen. `cursor` is what to send for the page shown
 * (undefined for the first).
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const next = useCallback((nextCursor: string) => setCursors((seen) => [...seen, nextCursor]), []);
  const previous = useCallback(() => setCursors((seen) => seen.slice(0, -1)), []);
  // A new filter starts again from the first page.
  const reset = useCallback(() => setCursors([]), []);
  return { cursor, page: cursors.length + 1, next, previous, reset };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

/** Previous / next buttons under a list, for a page of `useCursorPages`; `nextCursor` is the page's `next_cursor`. */
export function Pager({
  pages,
  nextCursor,
  busy = false,
  label = 'Pages',
}: {
  pages: CursorPages;
  nextCursor: string | null | undefined;
  busy?: boolean;
  label?: string;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" onClick={pages.previous} disabled={busy || pages.page === 1}>
        Previous
      </button>
      <span aria-live="polite">Page {pages.page}</span>
      <button type="button" onClick={() => nextCursor && pages.next(nextCursor)} disabled={busy || !nextCursor}>
        Next
      </button>
    </nav>
  );
}
