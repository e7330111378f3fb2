import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The billing schema. Every table name is qualified with `billing.` because
 * the connection's search_path is not the service's schema.
 *
 * Money columns are bigint micro-units. `accounts.balance_micros` is what a
 * user can still spend: a hold debits it at once, so that
 * balance = sum(ledger.amount_micros) holds at every commit, and
 * held_micros = sum of that user's open holds.
 */
export class CreateBillingSchema1764400000000 implements MigrationInterface {
  name = 'CreateBillingSchema1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.accounts (
        user_id uuid PRIMARY KEY,
        balance_micros bigint NOT NULL DEFAULT 0,
        held_micros bigint NOT NULL DEFAULT 0 CHECK (held_micros >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // What each key has spent, open holds included; compared with the key's budget (owned by auth).
    await q.query(`
      CREATE TABLE billing.key_spend (
        key_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        spent_micros bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE billing.prices (
        model text PRIMARY KEY,
        input_per_million_micros bigint NOT NULL DEFAULT 0 CHECK (input_per_million_micros >= 0),
        output_per_million_micros bigint NOT NULL DEFAULT 0 CHECK (output_per_million_micros >= 0),
        image_price_micros jsonb NOT NULL DEFAULT '{}'::jsonb,
        characters_per_million_micros bigint NOT NULL DEFAULT 0 CHECK (characters_per_million_micros >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE billing.group_multipliers (
        group_name text PRIMARY KEY,
        multiplier_bp integer NOT NULL CHECK (multiplier_bp >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A hold keeps the unit prices and multiplier it was quoted at, so the
    // settlement charges at the same prices even if they change meanwhile.
    await q.query(`
      CREATE TABLE billing.holds (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        key_id uuid NOT NULL,
        model text NOT NULL,
        group_name text NOT NULL,
        amount_micros bigint NOT NULL CHECK (amount_micros >= 0),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'settled', 'released', 'expired')),
        charged_micros bigint,
        tid text,
        image_size text,
        input_per_million_micros bigint NOT NULL,
        output_per_million_micros bigint NOT NULL,
        image_price_micros bigint,
        characters_per_million_micros bigint NOT NULL,
        multiplier_bp integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX holds_open_by_expiry ON billing.holds (expires_at) WHERE status = 'open'`);
    await q.query(`CREATE INDEX holds_open_by_user ON billing.holds (user_id) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE billing.ledger (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('topup', 'adjustment', 'hold', 'charge', 'release', 'expiry')),
        amount_micros bigint NOT NULL,
        balance_after_micros bigint NOT NULL,
        hold_id uuid,
        actor text NOT NULL,
        reason text,
        tid text,
        idempotency_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The one guard that makes every balance change happen at most once.
    await q.query(`CREATE UNIQUE INDEX ledger_idempotency_key ON billing.ledger (idempotency_key)`);
    await q.query(`CREATE INDEX ledger_by_user ON billing.ledger (user_id, id)`);
    await q.query(`
      CREATE TABLE billing.usage_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        hold_id uuid NOT NULL UNIQUE,
        tid text,
        user_id uuid NOT NULL,
        key_id uuid NOT NULL,
        model text NOT NULL,
        channel_id integer,
        input_tokens integer NOT NULL,
        output_tokens integer NOT NULL,
        images integer NOT NULL,
        characters integer NOT NULL,
        cost_micros bigint NOT NULL,
        latency_ms integer NOT NULL,
        http_status integer NOT NULL,
        succeeded boolean NOT NULL,
        stream boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX usage_log_by_time ON billing.usage_log (created_at)`);
    // Fixed one-minute windows. UNLOGGED: no WAL on the hot path; after a
    // crash the table comes back empty, which only forgives one minute of counts.
    await q.query(`
      CREATE UNLOGGED TABLE billing.rate_windows (
        scope text NOT NULL,
        window_start timestamptz NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (scope, window_start)
      )`);
    await q.query(RESERVE_HOLD_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION billing.reserve_hold`);
    for (const table of [
      'rate_windows',
      'usage_log',
      'ledger',
      'holds',
      'group_multipliers',
      'prices',
      'key_spend',
      'accounts',
    ]) {
      await q.query(`DROP TABLE billing.${table}`);
    }
  }
}

/**
 * The whole reserve in one round trip: the request path pays one database
 * call, not the six statements a client-side transaction would need. It runs
 * in the caller's single-statement transaction: all of it commits or none.
 *
 * Every step is a conditional write, never read-then-write, so that
 * concurrent reserves (on any replica) cannot both pass a check that only
 * one of them should pass. When a later step refuses, the earlier writes are
 * undone in the same transaction; no other transaction ever sees them.
 * Lock order, the same as settlement's: rate windows → account → key_spend.
 *
 * History: the definition that runs is `src/sql/reserve-hold.sql`, which
 * replaces this one (BILLING_REPEATABLE_MIGRATIONS).
 */
const RESERVE_HOLD_FUNCTION = `
CREATE FUNCTION billing.reserve_hold(
  p_user_id uuid, p_key_id uuid, p_model text, p_group text, p_tid text, p_actor text,
  p_amount bigint, p_key_budget bigint,
  p_key_scope text, p_key_rpm integer, p_user_scope text, p_user_rpm integer,
  p_ttl_ms bigint, p_image_size text,
  p_input_price bigint, p_output_price bigint, p_image_price bigint, p_characters_price bigint, p_multiplier_bp integer,
  p_synchronous_commit boolean, p_hold_id uuid
) RETURNS TABLE (r_outcome text, r_hold_id uuid, r_limit integer, r_remaining integer, r_reset_seconds integer)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_window timestamptz := date_trunc('minute', now());
  v_reset integer := greatest(1, ceil(extract(epoch FROM v_window + interval '1 minute' - now())))::integer;
  v_key_count integer;
  v_user_count integer;
  v_balance bigint;
  v_spent bigint;
  v_hold uuid := p_hold_id;
BEGIN
  IF NOT p_synchronous_commit THEN
    -- Opt-in (RESERVE_SYNCHRONOUS_COMMIT=false): this transaction's commit does
    -- not wait for the WAL flush. See billing.config.ts for what that risks.
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  -- Rate limits. The row lock that ON CONFLICT takes serialises concurrent
  -- requests on one window, and "count < limit" admits exactly "limit" of
  -- them per minute, whichever replica they arrive on.
  INSERT INTO billing.rate_windows AS w (scope, window_start, count) VALUES (p_key_scope, v_window, 1)
    ON CONFLICT (scope, window_start) DO UPDATE SET count = w.count + 1 WHERE w.count < p_key_rpm
    RETURNING w.count INTO v_key_count;
  IF v_key_count IS NULL THEN
    RETURN QUERY SELECT 'key_rate_limited'::text, NULL::uuid, p_key_rpm, 0, v_reset;
    RETURN;
  END IF;
  INSERT INTO billing.rate_windows AS w (scope, window_start, count) VALUES (p_user_scope, v_window, 1)
    ON CONFLICT (scope, window_start) DO UPDATE SET count = w.count + 1 WHERE w.count < p_user_rpm
    RETURNING w.count INTO v_user_count;
  IF v_user_count IS NULL THEN
    -- Only admitted requests count against a window.
    UPDATE billing.rate_windows SET count = count - 1 WHERE scope = p_key_scope AND window_start = v_window;
    RETURN QUERY SELECT 'user_rate_limited'::text, NULL::uuid, p_user_rpm, 0, v_reset;
    RETURN;
  END IF;

  -- The debit. "balance >= amount" in the UPDATE itself: two concurrent
  -- reserves cannot both see enough money and both spend it. No account row
  -- means no money.
  UPDATE billing.accounts
     SET balance_micros = balance_micros - p_amount, held_micros = held_micros + p_amount, updated_at = now()
   WHERE user_id = p_user_id AND balance_micros >= p_amount
  RETURNING balance_micros INTO v_balance;
  IF v_balance IS NULL THEN
    UPDATE billing.rate_windows SET count = count - 1
     WHERE window_start = v_window AND scope IN (p_key_scope, p_user_scope);
    RETURN QUERY SELECT 'insufficient_user_quota'::text, NULL::uuid, p_key_rpm, p_key_rpm - v_key_count + 1, v_reset;
    RETURN;
  END IF;

  -- The key's budget, the same way: spent (open holds included) + amount <= budget.
  IF p_key_budget IS NULL OR p_amount <= p_key_budget THEN
    INSERT INTO billing.key_spend AS s (key_id, user_id, spent_micros) VALUES (p_key_id, p_user_id, p_amount)
      ON CONFLICT (key_id) DO UPDATE SET spent_micros = s.spent_micros + p_amount, updated_at = now()
      WHERE p_key_budget IS NULL OR s.spent_micros + p_amount <= p_key_budget
      RETURNING s.spent_micros INTO v_spent;
  END IF;
  IF v_spent IS NULL THEN
    UPDATE billing.accounts
       SET balance_micros = balance_micros + p_amount, held_micros = held_micros - p_amount
     WHERE user_id = p_user_id;
    UPDATE billing.rate_windows SET count = count - 1
     WHERE window_start = v_window AND scope IN (p_key_scope, p_user_scope);
    RETURN QUERY SELECT 'key_budget_exceeded'::text, NULL::uuid, p_key_rpm, p_key_rpm - v_key_count + 1, v_reset;
    RETURN;
  END IF;

  INSERT INTO billing.holds (
    id, user_id, key_id, model, group_name, amount_micros, status, tid, image_size,
    input_per_million_micros, output_per_million_micros, image_price_micros, characters_per_million_micros,
    multiplier_bp, expires_at)
  VALUES (
    v_hold, p_user_id, p_key_id, p_model, p_group, p_amount, 'open', p_tid, p_image_size,
    p_input_price, p_output_price, p_image_price, p_characters_price,
    p_multiplier_bp, now() + p_ttl_ms * interval '1 millisecond');
  INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, hold_id, actor, reason, tid, idempotency_key)
  VALUES (p_user_id, 'hold', -p_amount, v_balance, v_hold, p_actor, p_model, p_tid, 'hold:' || v_hold);

  RETURN QUERY SELECT 'ok'::text, v_hold, p_key_rpm, p_key_rpm - v_key_count, v_reset;
END
$fn$`;
