import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ok,
  type AccountWithoutUser,
  type ReconcileDifference,
  type ReconcileKind,
  type ReconcileReport,
  type Reply,
} from '@tollgate/contracts';
import { UserRegistry } from '../accounts/user-registry.js';

interface AccountRow {
  user_id: string;
  balance_micros: string;
  held_micros: string;
}

interface DifferenceRow {
  user_id: string | null;
  key_id: string | null;
  recorded: string;
  expected: string;
}

/**
 * Proves the money invariants from first principles, for every account and key:
 *
 * - balance_micros = sum of the user's ledger amounts;
 * - held_micros = sum of the user's open holds;
 * - key_spend.spent_micros = what the key's holds add up to (open: the held
 *   amount; settled or expired: what was charged; released: nothing);
 * - accounts.granted_micros = the liens of the user's credit grants not
 *   closed, each money_amount - money_drawn;
 * - key_spend.granted_micros = the same over the key's grants.
 *
 * All five are read in one REPEATABLE READ snapshot, so writes committing
 * meanwhile cannot show up as a false difference.
 *
 * It also lists the accounts whose user auth does not know: money for an id
 * no key belongs to, which nobody can spend (made before billing checked
 * users, or written by hand). An account without a row in known_users is
 * asked of auth before it is listed, so a user billing has not caught up
 * with yet is not reported; if auth does not answer, neither does reconcile.
 */
@Injectable()
export class ReconcileService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UserRegistry,
  ) {}

  async reconcile(): Promise<Reply<ReconcileReport>> {
    const report = await this.fromTheBooks();
    const candidates = report.accountsWithoutUser;
    if (candidates.length === 0) return ok(report);
    const unknown = await this.users.unknownUsers(candidates.map((account) => account.userId));
    if (!unknown.ok) return unknown;
    const withoutUser = new Set(unknown.value);
    const accountsWithoutUser = candidates.filter((account) => withoutUser.has(account.userId));
    return ok({
      ...report,
      ok: report.differences.length === 0 && accountsWithoutUser.length === 0,
      accountsWithoutUser,
    });
  }

  private fromTheBooks(): Promise<ReconcileReport> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const balances = await tx.query<DifferenceRow[]>(`
        SELECT coalesce(a.user_id, l.user_id) AS user_id, NULL AS key_id,
               coalesce(a.balance_micros, 0)::text AS recorded, coalesce(l.total, 0)::text AS expected
          FROM billing.accounts a
          FULL JOIN (SELECT user_id, sum(amount_micros) AS total FROM billing.ledger GROUP BY user_id) l
            ON l.user_id = a.user_id
         WHERE coalesce(a.balance_micros, 0) <> coalesce(l.total, 0) OR a.user_id IS NULL
         ORDER BY 1`);
      const held = await tx.query<DifferenceRow[]>(`
        SELECT coalesce(a.user_id, h.user_id) AS user_id, NULL AS key_id,
               coalesce(a.held_micros, 0)::text AS recorded, coalesce(h.total, 0)::text AS expected
          FROM billing.accounts a
          FULL JOIN (SELECT user_id, sum(amount_micros) AS total FROM billing.holds WHERE status = 'open' GROUP BY user_id) h
            ON h.user_id = a.user_id
         WHERE coalesce(a.held_micros, 0) <> coalesce(h.total, 0) OR a.user_id IS NULL
         ORDER BY 1`);
      const keys = await tx.query<DifferenceRow[]>(`
        SELECT coalesce(k.user_id, h.user_id) AS user_id, coalesce(k.key_id, h.key_id) AS key_id,
               coalesce(k.spent_micros, 0)::text AS recorded, coalesce(h.total, 0)::text AS expected
          FROM billing.key_spend k
          FULL JOIN (SELECT key_id, min(user_id::text)::uuid AS user_id,
                            sum(CASE status WHEN 'open' THEN amount_micros ELSE coalesce(charged_micros, 0) END) AS total
                       FROM billing.holds GROUP BY key_id) h
            ON h.key_id = k.key_id
         WHERE coalesce(k.spent_micros, 0) <> coalesce(h.total, 0)
         ORDER BY 2`);
      const granted = await tx.query<DifferenceRow[]>(`
        SELECT coalesce(a.user_id, g.user_id) AS user_id, NULL AS key_id,
               coalesce(a.granted_micros, 0)::text AS recorded, coalesce(g.total, 0)::text AS expected
          FROM billing.accounts a
          FULL JOIN (SELECT user_id, sum(money_amount - money_drawn) AS total
                       FROM billing.grants WHERE status <> 'closed' GROUP BY user_id) g
            ON g.user_id = a.user_id
         WHERE coalesce(a.granted_micros, 0) <> coalesce(g.total, 0)
         ORDER BY 1`);
      const keyGranted = await tx.query<DifferenceRow[]>(`
        SELECT coalesce(k.user_id, g.user_id) AS user_id, coalesce(k.key_id, g.key_id) AS key_id,
               coalesce(k.granted_micros, 0)::text AS recorded, coalesce(g.total, 0)::text AS expected
          FROM billing.key_spend k
          FULL JOIN (SELECT key_id, min(user_id::text)::uuid AS user_id, sum(money_amount - money_drawn) AS total
                       FROM billing.grants WHERE status <> 'closed' GROUP BY key_id) g
            ON g.key_id = k.key_id
         WHERE coalesce(k.granted_micros, 0) <> coalesce(g.total, 0)
         ORDER BY 2`);
      const unknownAccounts = await tx.query<AccountRow[]>(`
        SELECT a.user_id, a.balance_micros::text, a.held_micros::text
          FROM billing.accounts a
         WHERE NOT EXISTS (SELECT 1 FROM billing.known_users k WHERE k.user_id = a.user_id)
         ORDER BY a.user_id`);
      const [counts] = await tx.query<[{ accounts: string; keys: string }]>(
        `SELECT (SELECT count(*) FROM billing.accounts) AS accounts, (SELECT count(*) FROM billing.key_spend) AS keys`,
      );
      const differences = [
        ...balances.map((row) => toDifference('balance_vs_ledger', row)),
        ...held.map((row) => toDifference('held_vs_open_holds', row)),
        ...keys.map((row) => toDifference('key_spend_vs_holds', row)),
        ...granted.map((row) => toDifference('granted_vs_open_grants', row)),
        ...keyGranted.map((row) => toDifference('key_granted_vs_open_grants', row)),
      ];
      const accountsWithoutUser = unknownAccounts.map((row): AccountWithoutUser => ({
        userId: row.user_id,
        balanceMicros: row.balance_micros,
        heldMicros: row.held_micros,
      }));
      return {
        checkedAt: new Date().toISOString(),
        accounts: Number(counts.accounts),
        keys: Number(counts.keys),
        ok: differences.length === 0 && accountsWithoutUser.length === 0,
        differences,
        accountsWithoutUser,
      };
    });
  }
}

function toDifference(kind: ReconcileKind, row: DifferenceRow): ReconcileDifference {
  const recorded = BigInt(row.recorded);
  const expected = BigInt(row.expected);
  return {
    kind,
    userId: row.user_id,
    keyId: row.key_id,
    recordedMicros: recorded.toString(),
    expectedMicros: expected.toString(),
    differenceMicros: (recorded - expected).toString(),
  };
}
