-- billing.reserve_hold: one request's reserve in one round trip. It counts
-- the request against its rate limits, debits the balance, adds to the key's
-- spend and writes the hold and its ledger row; or it refuses, changing
-- nothing. The request path pays one database call, not the six statements a
-- client-side transaction would need.
--
-- Guarantees:
-- - All or nothing: it runs in its caller's transaction. When a later step
--   refuses, the earlier writes are undone in the same transaction; no other
--   transaction ever sees them.
-- - No check passed twice: every step is a conditional write, never
--   read-then-write, so concurrent reserves (on any replica) cannot both pass
--   a check that only one of them should pass.
-- - At most once per hold id: a second reserve with the same p_hold_id fails
--   on the holds primary key (and on the ledger's idempotency key
--   'hold:<id>') and undoes everything it did.
-- - Lock order: rate windows → account → key_spend. The service calls it
--   only through billing.reserve_holds (reserve-holds.sql), which locks the
--   batch's accounts first, in the order every money function keeps.
--
-- Credit grants: what billing may still hold for a user is balance_micros -
-- granted_micros (the liens of the grants not closed, acquire-grants.sql),
-- and for a key with a budget, budget - spent_micros - granted_micros. With
-- no grant both are the checks of a plain balance and spend. A grant's
-- requests are counted in the rate windows when it is made, so a reserve
-- finds them taken.
--
-- r_outcome is one of RESERVE_HOLD_OUTCOMES (sql-outcomes.ts).
--
-- The hold keeps the unit prices it was quoted at, for its settlement; the
-- cached-input, cache-write and reasoning prices may be null (at the input,
-- input and output price), and so may the audio-minute price (the model is
-- not priced by duration).
--
-- This file is the definition that runs: a service applies it at start-up, or
-- `npm run migrate` does, whenever its text changed (apps/billing/README.md).

-- The arguments before the cached-input, cache-write and reasoning prices, then before the audio-minute price.
DROP FUNCTION IF EXISTS billing.reserve_hold(
  uuid, uuid, text, text, text, text, bigint, bigint, text, integer, text, integer, bigint, text,
  bigint, bigint, bigint, bigint, integer, boolean, uuid);
DROP FUNCTION IF EXISTS billing.reserve_hold(
  uuid, uuid, text, text, text, text, bigint, bigint, text, integer, text, integer, bigint, text,
  bigint, bigint, bigint, bigint, bigint, bigint, bigint, integer, boolean, uuid);

CREATE OR REPLACE FUNCTION billing.reserve_hold(
  p_user_id uuid, p_key_id uuid, p_model text, p_group text, p_tid text, p_actor text,
  p_amount bigint, p_key_budget bigint,
  p_key_scope text, p_key_rpm integer, p_user_scope text, p_user_rpm integer,
  p_ttl_ms bigint, p_image_size text,
  p_input_price bigint, p_output_price bigint, p_image_price bigint, p_characters_price bigint,
  p_cached_input_price bigint, p_cache_write_price bigint, p_reasoning_price bigint, p_audio_minute_price bigint,
  p_multiplier_bp integer,
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

  -- The debit. "balance - granted >= amount" in the UPDATE itself: two
  -- concurrent reserves cannot both see enough money and both spend it, and
  -- none spends what a grant earmarked for an edge. No account row means no
  -- money.
  UPDATE billing.accounts
     SET balance_micros = balance_micros - p_amount, held_micros = held_micros + p_amount, updated_at = now()
   WHERE user_id = p_user_id AND balance_micros - granted_micros >= p_amount
  RETURNING balance_micros INTO v_balance;
  IF v_balance IS NULL THEN
    UPDATE billing.rate_windows SET count = count - 1
     WHERE window_start = v_window AND scope IN (p_key_scope, p_user_scope);
    RETURN QUERY SELECT 'insufficient_user_quota'::text, NULL::uuid, p_key_rpm, p_key_rpm - v_key_count + 1, v_reset;
    RETURN;
  END IF;

  -- The key's budget, the same way: spent (open holds included) + granted + amount <= budget.
  IF p_key_budget IS NULL OR p_amount <= p_key_budget THEN
    INSERT INTO billing.key_spend AS s (key_id, user_id, spent_micros) VALUES (p_key_id, p_user_id, p_amount)
      ON CONFLICT (key_id) DO UPDATE SET spent_micros = s.spent_micros + p_amount, updated_at = now()
      WHERE p_key_budget IS NULL OR s.spent_micros + s.granted_micros + p_amount <= p_key_budget
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
    cached_input_per_million_micros, cache_write_per_million_micros, reasoning_per_million_micros,
    audio_per_minute_micros, multiplier_bp, expires_at)
  VALUES (
    v_hold, p_user_id, p_key_id, p_model, p_group, p_amount, 'open', p_tid, p_image_size,
    p_input_price, p_output_price, p_image_price, p_characters_price,
    p_cached_input_price, p_cache_write_price, p_reasoning_price,
    p_audio_minute_price, p_multiplier_bp, now() + p_ttl_ms * interval '1 millisecond');
  INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, hold_id, actor, reason, tid, idempotency_key)
  VALUES (p_user_id, 'hold', -p_amount, v_balance, v_hold, p_actor, p_model, p_tid, 'hold:' || v_hold);

  RETURN QUERY SELECT 'ok'::text, v_hold, p_key_rpm, p_key_rpm - v_key_count, v_reset;
END
$fn$;
