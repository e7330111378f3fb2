import { expect } from '@jest/globals';
import { parseMoney } from '@tollgate/contracts';
import { eventually } from '@tollgate/testing';
import type { Customer } from './fixtures.js';
import type { Suite } from './suite.js';

/** A ledger row as the admin API shows it. */
export interface LedgerEntry {
  type: string;
  amount: string;
  hold_id: string | null;
  reason: string | null;
  tid: string | null;
}

/** "12.500000" → 12500000n; a test fails loudly on anything else. */
export function micros(amount: string): bigint {
  const value = parseMoney(amount);
  if (value === null) throw new Error(`not a money amount: ${amount}`);
  return value;
}

/** Every ledger row of a user, following the cursor pages. */
export async function ledgerOf(suite: Suite, userId: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=1000&cursor=${cursor}` : '?limit=1000';
    const page = await suite.admin<{ data: LedgerEntry[]; next_cursor: string | null }>(
      'GET',
      `/admin/v1/users/${userId}/ledger${query}`,
    );
    entries.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor);
  return entries;
}

export async function balanceOf(suite: Suite, userId: string): Promise<{ balance: bigint; held: bigint }> {
  const response = await suite.admin<{ balance: string; held: string }>('GET', `/admin/v1/users/${userId}/balance`);
  if (response.status !== 200) throw new Error(`balance: ${response.status} ${JSON.stringify(response.body)}`);
  return { balance: micros(response.body.balance), held: micros(response.body.held) };
}

/** Waits for a request's settlement (its release row) and returns what was charged, or null. */
export async function settledCharge(suite: Suite, customer: Customer): Promise<bigint | null> {
  const entries = await eventually(
    async () => {
      const ledger = await ledgerOf(suite, customer.userId);
      if (!ledger.some((entry) => entry.type === 'release')) throw new Error('the settlement is not in the ledger');
      return ledger;
    },
    { timeoutMs: 10_000 },
  );
  const charge = entries.find((entry) => entry.type === 'charge');
  return charge ? -micros(charge.amount) : null;
}

/** Every hold settled, the balance equal to the sum of the ledger, and reconcile clean. */
/**
 * Waits until every request of the user is in the books and settled: first
 * until billing has recorded every admission record edges stored (a request
 * admitted from a credit grant holds nothing until then), then until nothing
 * is held. Read in that order it is a true "all settled": once a record is
 * recorded, its hold stays open until it is settled.
 */
export async function untilAllSettled(
  suite: Suite,
  userId: string,
  timeoutMs: number,
  intervalMs?: number,
): Promise<void> {
  await eventually(
    async () => {
      const reconcile = await suite.admin<{ pending_admissions: number | null }>('GET', '/admin/v1/reconcile');
      if (reconcile.body.pending_admissions !== 0) {
        throw new Error(`${reconcile.body.pending_admissions} admission records not yet recorded`);
      }
      const { held } = await balanceOf(suite, userId);
      if (held !== 0n) throw new Error(`${held} micro-units still held`);
    },
    { timeoutMs, intervalMs },
  );
}

export async function expectBooksBalanced(
  suite: Suite,
  userId: string,
  settleWithinMs = 20_000,
): Promise<LedgerEntry[]> {
  await untilAllSettled(suite, userId, settleWithinMs);
  const ledger = await ledgerOf(suite, userId);
  const sum = ledger.reduce((total, entry) => total + micros(entry.amount), 0n);
  expect((await balanceOf(suite, userId)).balance).toBe(sum);
  const reconcile = await suite.admin<{ ok: boolean; differences: unknown[] }>('GET', '/admin/v1/reconcile');
  expect(reconcile.body).toMatchObject({ ok: true, differences: [] });
  return ledger;
}
