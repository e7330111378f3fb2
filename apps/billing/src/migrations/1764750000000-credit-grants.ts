import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit grants (issue 15): an edge replica admits a (user, key, model)'s
 * requests from memory against a grant billing gave it, instead of waiting
 * for a reserve per request (docs/design/credit-grants.md, as simplified in
 * session 7).
 *
 * One grant row is one bundle for one edge and one (user, key, model, rate
 * window): an amount of money and a number of requests. The money is a lien,
 * not a movement: it is kept in `accounts.granted_micros` and
 * `key_spend.granted_micros` (whether the key has a budget or not) as long
 * as the grant is not closed, and what billing may still hold or grant for a
 * user is `balance_micros - granted_micros`. It writes no ledger row: each
 * admission becomes a hold with today's `hold` ledger row when billing
 * records it (`money_drawn`, `requests_drawn`), and `holds.grant_id` names the
 * grant it was admitted on (null for a per-request hold). The requests are
 * counted in both rate windows (key+model and user) when the grant is made.
 *
 * A grant keeps the unit prices and multiplier it was quoted at, as a hold
 * does; never an image or audio price: requests with images or audio are
 * admitted per request only.
 *
 * Statuses: open → returned (the edge gave back what it did not admit) or
 * draining (expired) → closed. A closed grant's amounts equal what was drawn,
 * so it keeps no lien (checked below). `drain_seq` is the admission stream's
 * sequence recorded at return or expiry; the sweeper closes the grant once
 * the consumer's ack floor has passed it.
 *
 * The functions are `src/sql/acquire-grants.sql`, `return-grants.sql`,
 * `record-admissions.sql`, `close-grants.sql` (BILLING_REPEATABLE_MIGRATIONS).
 * Constant defaults rewrite no rows.
 */
export class CreditGrants1764750000000 implements MigrationInterface {
  name = 'CreditGrants1764750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.grants (
        id uuid PRIMARY KEY,
        edge_id uuid NOT NULL,
        user_id uuid NOT NULL,
        key_id uuid NOT NULL,
        model text NOT NULL,
        group_name text NOT NULL,
        key_scope text NOT NULL,
        user_scope text NOT NULL,
        window_start timestamptz NOT NULL,
        money_amount bigint NOT NULL CHECK (money_amount >= 0),
        money_drawn bigint NOT NULL DEFAULT 0 CHECK (money_drawn >= 0 AND money_drawn <= money_amount),
        requests_amount integer NOT NULL CHECK (requests_amount >= 0),
        requests_drawn integer NOT NULL DEFAULT 0 CHECK (requests_drawn >= 0 AND requests_drawn <= requests_amount),
        input_per_million_micros bigint NOT NULL,
        output_per_million_micros bigint NOT NULL,
        characters_per_million_micros bigint NOT NULL,
        cached_input_per_million_micros bigint,
        cache_write_per_million_micros bigint,
        reasoning_per_million_micros bigint,
        multiplier_bp integer NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'returned', 'draining', 'closed')),
        drain_seq bigint,
        close_reason text,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        CONSTRAINT grants_drain_seq_while_draining CHECK (status NOT IN ('returned', 'draining') OR drain_seq IS NOT NULL),
        -- A closed grant keeps no lien: reconcile's sums over grants not closed are sums over all.
        CONSTRAINT grants_closed_when_drawn CHECK (
          status <> 'closed' OR (closed_at IS NOT NULL AND money_amount = money_drawn AND requests_amount = requests_drawn))
      )`);
    await q.query(`CREATE INDEX grants_live_by_user ON billing.grants (user_id) WHERE status <> 'closed'`);
    await q.query(`CREATE INDEX grants_live_by_key ON billing.grants (key_id) WHERE status <> 'closed'`);
    await q.query(`CREATE INDEX grants_open_by_expiry ON billing.grants (expires_at) WHERE status = 'open'`);
    await q.query(
      `CREATE INDEX grants_draining ON billing.grants (drain_seq) WHERE status IN ('returned', 'draining')`,
    );
    // The sweeper deletes closed grants a day after they closed.
    await q.query(`CREATE INDEX grants_closed_by_time ON billing.grants (closed_at) WHERE status = 'closed'`);
    await q.query(`
      ALTER TABLE billing.accounts
        ADD COLUMN granted_micros bigint NOT NULL DEFAULT 0 CHECK (granted_micros >= 0)`);
    await q.query(`
      ALTER TABLE billing.key_spend
        ADD COLUMN granted_micros bigint NOT NULL DEFAULT 0 CHECK (granted_micros >= 0)`);
    await q.query(`ALTER TABLE billing.holds ADD COLUMN grant_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing.holds DROP COLUMN grant_id`);
    await q.query(`ALTER TABLE billing.key_spend DROP COLUMN granted_micros`);
    await q.query(`ALTER TABLE billing.accounts DROP COLUMN granted_micros`);
    await q.query(`DROP TABLE billing.grants`);
  }
}
