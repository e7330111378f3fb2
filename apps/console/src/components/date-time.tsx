/** "2026-12-03T09:36:32.123Z" → "2026-12-03 09:36:32 UTC": one zone for every reader, as the ledger and the logs keep it. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** A timestamp of the admin API, machine-readable in `dateTime` and readable on screen; "—" for none. */
export function DateTime({ value }: { value: string | null | undefined }) {
  if (!value) return <span aria-label="never">—</span>;
  return <time dateTime={value}>{formatDateTime(value)}</time>;
}
