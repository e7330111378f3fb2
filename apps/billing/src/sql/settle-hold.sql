-- billing.settle_hold: one settlement in one database round trip. It closes
-- the hold, returns the held amount to the balance and charges the cost,
-- writes the ledger rows (release, and charge when the request succeeded),
-- moves the key's spend from the held amount to the cost and logs the usage.
--
-- Settlements and reserves of the same user lock the same account row; when
-- a settlement held it across six client round trips, the next reserve of
-- that user waited for all of them (measured by the benchmark: reserve p50 ≈
-- 4 ms at concurrency 1). In one function the lock is held only while the
-- statements run.
--
-- Guarantees:
-- - The caller has already read the hold and computed the cost from its
--   quoted prices; the function re-checks that the hold is open.
-- - At most once per hold: "status = 'open'" in the first UPDATE makes a
--   duplicate settlement (another replica, a redelivery, a hold that expired)
--   change nothing and return 'not_open'. The ledger's idempotency keys
--   ('release:<id>', 'charge:<id>') and usage_log's unique hold_id guard the
--   same.
-- - Lock order is reserve's: hold → account → key_spend.
--
-- r_outcome is one of SETTLE_HOLD_OUTCOMES (sql-outcomes.ts).
--
-- The usage log keeps every kind of token the upstream reported: all input
-- and all output, and the parts of them (cached input, cache writes,
-- reasoning) that were priced apart, and the seconds of audio charged per
-- minute.
--
-- This file is the definition that runs: a service applies it at start-up, or
-- `npm run migrate` does, whenever its text changed (apps/billing/README.md).

-- The arguments before the cached-input, cache-write and reasoning tokens, then before the audio seconds.
DROP FUNCTION IF EXISTS billing.settle_hold(
  uuid, bigint, boolean, text, text, text, integer, integer, integer, integer, integer, integer, integer, boolean);
DROP FUNCTION IF EXISTS billing.settle_hold(
  uuid, bigint, boolean, text, text, text, integer, integer, integer, integer, integer, integer, integer, integer,
  integer, integer, boolean);

CREATE OR REPLACE FUNCTION billing.settle_hold(
  p_hold_id uuid, p_cost bigint, p_succeeded boolean, p_reason text, p_tid text, p_actor text,
  p_channel_id integer, p_input_tokens integer, p_output_tokens integer,
  p_cached_input_tokens integer, p_cache_write_tokens integer, p_reasoning_tokens integer,
  p_images integer, p_characters integer, p_audio_seconds integer,
  p_latency_ms integer, p_http_status integer, p_stream boolean
) RETURNS TABLE (r_outcome text, r_held bigint, r_balance bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_user uuid;
  v_key uuid;
  v_model text;
  v_held bigint;
  v_balance bigint;
BEGIN
  UPDATE billing.holds
     SET status = CASE WHEN p_succeeded THEN 'settled' ELSE 'released' END,
         charged_micros = p_cost, closed_at = now()
   WHERE id = p_hold_id AND status = 'open'
  RETURNING user_id, key_id, model, amount_micros INTO v_user, v_key, v_model, v_held;
  IF v_user IS NULL THEN
    RETURN QUERY SELECT 'not_open'::text, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;

  UPDATE billing.accounts
     SET balance_micros = balance_micros + v_held - p_cost, held_micros = held_micros - v_held, updated_at = now()
   WHERE user_id = v_user
  RETURNING balance_micros INTO v_balance;
  IF v_balance IS NULL THEN
    RAISE EXCEPTION 'hold % has no account row for user %', p_hold_id, v_user;
  END IF;

  INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, hold_id, actor, reason, tid, idempotency_key)
  VALUES (v_user, 'release', v_held, v_balance + p_cost, p_hold_id, p_actor, p_reason, p_tid, 'release:' || p_hold_id);
  IF p_succeeded THEN
    INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, hold_id, actor, reason, tid, idempotency_key)
    VALUES (v_user, 'charge', -p_cost, v_balance, p_hold_id, p_actor, p_reason, p_tid, 'charge:' || p_hold_id);
  END IF;

  UPDATE billing.key_spend SET spent_micros = spent_micros - v_held + p_cost, updated_at = now() WHERE key_id = v_key;

  INSERT INTO billing.usage_log (hold_id, tid, user_id, key_id, model, channel_id, input_tokens, output_tokens,
                                 cached_input_tokens, cache_write_tokens, reasoning_tokens,
                                 images, characters, audio_seconds, cost_micros, latency_ms, http_status, succeeded, stream)
  VALUES (p_hold_id, p_tid, v_user, v_key, v_model, p_channel_id, p_input_tokens, p_output_tokens,
          p_cached_input_tokens, p_cache_write_tokens, p_reasoning_tokens,
          p_images, p_characters, p_audio_seconds, p_cost, p_latency_ms, p_http_status, p_succeeded, p_stream)
  ON CONFLICT (hold_id) DO NOTHING;

  RETURN QUERY SELECT CASE WHEN p_succeeded THEN 'settled' ELSE 'released' END, v_held, v_balance;
END
$fn$;
