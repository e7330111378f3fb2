import { compile, LIMITS, Settlement, SettlementBatch } from '@tollgate/contracts';

const batchCheck = compile(SettlementBatch);
const settlementCheck = compile(Settlement);

/** What one message on the settlement stream holds. */
export interface SettlementMessage {
  settlements: Settlement[];
  /** Entries of a batch that are not settlements, with why (logged and skipped; the rest still applies). */
  rejected: string[];
}

/**
 * Reads a message off the stream: a SettlementBatch (what edges publish) or
 * a single settlement object (accepted as well). A message with nothing that
 * is a settlement is an error: the caller terminates it, since no redelivery
 * can turn it into one, instead of retrying it forever.
 */
export function parseSettlementMessage(value: unknown): SettlementMessage | { error: string } {
  if (!batchCheck.is(value)) {
    const single = parseSettlement(value);
    return 'error' in single ? single : { settlements: [single], rejected: [] };
  }
  const settlements: Settlement[] = [];
  const rejected: string[] = [];
  // The batch's schema leaves its entries to this check, so that one bad entry does not drop the others.
  for (const [index, entry] of (value.settlements as unknown[]).entries()) {
    const parsed = parseSettlement(entry);
    if ('error' in parsed) rejected.push(`settlements[${index}]: ${parsed.error}`);
    else settlements.push(parsed);
  }
  if (settlements.length === 0) return { error: rejected[0] ?? 'settlements is empty' };
  return { settlements, rejected };
}

function parseSettlement(value: unknown): Settlement | { error: string } {
  const checked = settlementCheck.check(value);
  if (!checked.ok) return { error: checked.problem.detail };
  // The column is whole milliseconds, clamped to what an integer column holds.
  return { ...checked.value, latencyMs: Math.min(Math.round(checked.value.latencyMs), LIMITS.int4) };
}
