import { micros, type LedgerEntry } from './ledger.js';

/** What the ledger did with one request's money, from the rows of its hold. */
export interface RequestCharge {
  /** Hold ids placed for the request's tid: exactly one for a request billing admitted. */
  holds: string[];
  /** How its hold closed, in ledger order: `release` (settled) or `expiry`, once. */
  closings: string[];
  /** Micro-units the request cost in the end: minus the sum of its rows. */
  charged: bigint;
}

/**
 * The ledger's rows per request (by the tid the hold rows carry), for every
 * row that belongs to a hold; top-ups and adjustments belong to none. A hold
 * whose rows name two tids is reported under each, so it cannot go unseen.
 */
export function chargesByTid(ledger: readonly LedgerEntry[]): Map<string, RequestCharge> {
  const charges = new Map<string, RequestCharge>();
  for (const entry of ledger) {
    if (entry.hold_id === null) continue;
    const tid = entry.tid ?? `(no tid, hold ${entry.hold_id})`;
    const charge = charges.get(tid) ?? { holds: [], closings: [], charged: 0n };
    if (!charge.holds.includes(entry.hold_id)) charge.holds.push(entry.hold_id);
    if (entry.type === 'release' || entry.type === 'expiry') charge.closings.push(entry.type);
    charge.charged -= micros(entry.amount);
    charges.set(tid, charge);
  }
  return charges;
}
