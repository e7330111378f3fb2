/** What one message on a work-queue stream holds: the items that parsed, and why the others did not. */
export interface BatchMessage<T> {
  items: T[];
  /** Entries of a batch that are not items, with why (logged and skipped; the rest still applies). */
  rejected: string[];
}

/**
 * Reads a message off a stream: `{ <field>: [...] }` (what edges publish) or
 * a single item object (accepted as well). A message with nothing valid in
 * it is an error: the caller terminates it, since no redelivery can turn it
 * into one, instead of retrying it forever. Entries are checked one by one,
 * so that one bad entry does not drop the others.
 */
export function parseBatchMessage<T>(
  value: unknown,
  field: string,
  parseItem: (value: unknown) => T | { error: string },
): BatchMessage<T> | { error: string } {
  const entries = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(entries)) {
    const single = parseItem(value);
    return isError(single) ? single : { items: [single], rejected: [] };
  }
  const items: T[] = [];
  const rejected: string[] = [];
  for (const [index, entry] of (entries as unknown[]).entries()) {
    const parsed = parseItem(entry);
    if (isError(parsed)) rejected.push(`${field}[${index}]: ${parsed.error}`);
    else items.push(parsed);
  }
  if (items.length === 0) return { error: rejected[0] ?? `${field} is empty` };
  return { items, rejected };
}

function isError<T>(parsed: T | { error: string }): parsed is { error: string } {
  return typeof parsed === 'object' && parsed !== null && 'error' in parsed && Object.keys(parsed).length === 1;
}
