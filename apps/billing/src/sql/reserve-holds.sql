-- billing.reserve_holds: the reserves that arrived together (see
-- MicroBatcher), in one transaction, one round trip and one WAL flush. Under
-- load one customer's requests no longer queue one by one on that customer's
-- account row; at concurrency 1 a batch is one item and costs what a single
-- call did.
--
-- Guarantees:
-- - Each item is still billing.reserve_hold (reserve-hold.sql), so its
--   checks, refusals and ledger rows are those of a single reserve.
-- - All or nothing per batch: one statement, one transaction. MicroBatcher
--   retries a failed batch item by item, so an item that fails (a duplicate
--   hold id) fails alone.
-- - Lock order, global, so that batches on any number of replicas cannot
--   deadlock with each other, with staff adjustments or with the expiry
--   sweeper:
--
--     holds (by id) → accounts (by user id) → that user's rate windows and key spend.
--
--   Every row an item touches after the account belongs to that account's
--   user, so once a transaction holds the accounts it needs, it only waits
--   for transactions that hold those accounts' locks — which never wait for
--   it. Reserves insert new holds and lock none.
--
-- Items come as a JSON array. Each result row is the 1-based index of its
-- item (r_index) followed by billing.reserve_hold's row for it.
--
-- This file is the definition that runs: a service applies it at start-up, or
-- `npm run migrate` does, whenever its text changed (apps/billing/README.md).
CREATE OR REPLACE FUNCTION billing.reserve_holds(p_items jsonb, p_synchronous_commit boolean)
RETURNS TABLE (r_index integer, r_outcome text, r_hold_id uuid, r_limit integer, r_remaining integer, r_reset_seconds integer)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_item jsonb;
  v_index bigint;
BEGIN
  PERFORM 1 FROM billing.accounts
   WHERE user_id IN (SELECT DISTINCT (e->>'userId')::uuid FROM jsonb_array_elements(p_items) e)
   ORDER BY user_id FOR UPDATE;
  FOR v_item, v_index IN SELECT e, i FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
    RETURN QUERY SELECT v_index::integer, r.* FROM billing.reserve_hold(
      (v_item->>'userId')::uuid, (v_item->>'keyId')::uuid, v_item->>'model', v_item->>'group', v_item->>'tid',
      v_item->>'actor', (v_item->>'amount')::bigint, (v_item->>'keyBudget')::bigint,
      v_item->>'keyScope', (v_item->>'keyRpm')::integer, v_item->>'userScope', (v_item->>'userRpm')::integer,
      (v_item->>'ttlMs')::bigint, v_item->>'imageSize',
      (v_item->>'inputPrice')::bigint, (v_item->>'outputPrice')::bigint, (v_item->>'imagePrice')::bigint,
      (v_item->>'charactersPrice')::bigint,
      -- Absent (a billing replica from before these prices, during an upgrade): null, the price of the whole.
      (v_item->>'cachedInputPrice')::bigint, (v_item->>'cacheWritePrice')::bigint, (v_item->>'reasoningPrice')::bigint,
      -- Absent (likewise, before audio pricing): null, no price per minute.
      (v_item->>'audioMinutePrice')::bigint,
      (v_item->>'multiplierBp')::integer,
      p_synchronous_commit, (v_item->>'holdId')::uuid) r;
  END LOOP;
END
$fn$;
