-- billing.expire_holds: closes up to p_batch holds whose settlement never came
-- (the edge crashed mid-request, say) once their expires_at has passed, and
-- returns how many. A hold expires at the held amount: the money already left
-- the balance when the hold was made, so expiry moves no money. It closes the
-- hold, lowers held_micros, and writes an 'expiry' ledger row of 0 that
-- records the hold became final. The key's spend already counts the held
-- amount, which is now what it cost. A settlement arriving later finds the
-- hold closed and changes nothing.
--
-- Guarantees:
-- - One replica sweeps at a time (a transaction-scoped advisory lock); the
--   others get 0 for this round instead of queueing.
-- - A hold being settled right now is left to its settlement (SKIP LOCKED).
-- - Lock order, the global one of reserve-holds.sql: holds, then their
--   users' accounts in user-id order, as batches and staff adjustments lock
--   them, so the sweeper cannot deadlock with either.
-- - All or nothing: one ledger row per expired hold, or an exception that
--   rolls the whole batch back.
--
-- This file is the definition that runs: a service applies it at start-up, or
-- `npm run migrate` does, whenever its text changed (apps/billing/README.md).
CREATE OR REPLACE FUNCTION billing.expire_holds(p_batch integer, p_actor text)
RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  v_holds uuid[];
  v_users uuid[];
  v_written integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('tollgate-billing-hold-expiry')) THEN
    RETURN 0;
  END IF;
  SELECT array_agg(h.id), array_agg(DISTINCT h.user_id) INTO v_holds, v_users
    FROM (SELECT id, user_id FROM billing.holds
           WHERE status = 'open' AND expires_at <= now()
           ORDER BY expires_at
           LIMIT p_batch
           FOR UPDATE SKIP LOCKED) h;
  IF v_holds IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM 1 FROM billing.accounts WHERE user_id = ANY(v_users) ORDER BY user_id FOR UPDATE;

  WITH expired AS (
    UPDATE billing.holds SET status = 'expired', charged_micros = amount_micros, closed_at = now()
     WHERE id = ANY(v_holds) AND status = 'open'
    RETURNING id, user_id, amount_micros, tid
  ), per_user AS (
    SELECT user_id, sum(amount_micros)::bigint AS total FROM expired GROUP BY user_id
  ), touched AS (
    UPDATE billing.accounts a SET held_micros = a.held_micros - p.total, updated_at = now()
      FROM per_user p WHERE a.user_id = p.user_id
    RETURNING a.user_id, a.balance_micros
  )
  INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, hold_id, actor, reason, tid, idempotency_key)
  SELECT e.user_id, 'expiry', 0, a.balance_micros, e.id, p_actor,
         'no settlement in time: charged the held ' || e.amount_micros || ' micros', e.tid, 'expiry:' || e.id
    FROM expired e JOIN touched a ON a.user_id = e.user_id;
  GET DIAGNOSTICS v_written = ROW_COUNT;
  IF v_written <> cardinality(v_holds) THEN
    RAISE EXCEPTION 'hold expiry wrote fewer ledger rows than holds; rolled back';
  END IF;
  RETURN v_written;
END
$fn$;
