import { compile, LIMITS, Settlement } from '@tollgate/contracts';
import { parseBatchMessage } from '../streams/batch-message.js';

const settlementCheck = compile(Settlement);

/** What one message on the settlement stream holds. */
export interface SettlementMessage {
  settlements: Settlement[];
  /** Entries of a batch that are not settlements, with why (logged and skipped; the rest still applies). */
  rejected: string[];
}

/** A SettlementBatch (what edges publish) or a single settlement object (see parseBatchMessage). */
export function parseSettlementMessage(value: unknown): SettlementMessage | { error: string } {
  const message = parseBatchMessage(value, 'settlements', parseSettlement);
  return 'error' in message ? message : { settlements: message.items, rejected: message.rejected };
}

function parseSettlement(value: unknown): Settlement | { error: string } {
  const checked = settlementCheck.check(value);
  if (!checked.ok) return { error: checked.problem.detail };
  // The column is whole milliseconds, clamped to what an integer column holds.
  return { ...checked.value, latencyMs: Math.min(Math.round(checked.value.latencyMs), LIMITS.int4) };
}
