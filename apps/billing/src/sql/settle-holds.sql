-- billing.settle_holds: the settlements that arrived together (see
-- MicroBatcher), in one transaction, one round trip and one WAL flush.
--
-- Guarantees:
-- - Each item is still billing.settle_hold (settle-hold.sql): at most once
--   per hold, with the ledger rows of a single settlement.
-- - All or nothing per batch: one statement, one transaction. MicroBatcher
--   retries a failed batch item by item.
-- - Lock order, the global one of reserve-holds.sql:
--
--     holds (by id) → accounts (by user id) → that user's rate windows and key spend.
--
--   Settlements lock their holds first, as the expiry sweeper does (which
--   skips locked holds instead of waiting), then their users' accounts in
--   user-id order, so batches on any number of replicas cannot deadlock with
--   each other, with reserves, with staff adjustments or with expiry.
-- - Credit grants: an item may carry `admission`, the record of a request
--   an edge admitted from a grant (billing.record_admission's item,
--   record-admissions.sql), whose hold may not exist yet. The accounts
--   locked are then those of the existing holds and of the admissions'
--   users, still all in one user-id order after the existing holds. Per
--   such item billing.record_admission runs first: it creates the hold if
--   the record was not applied yet ('duplicate' when it was, the usual
--   case), under the account lock, as every new hold is; then
--   billing.settle_hold as for any hold. The caller priced the settlement
--   at the grant's prices, which the hold copies. An admission for another
--   hold id than its item's is a caller error: the batch fails.
--
-- Items come as a JSON array. Each result row is the 1-based index of its
-- item (r_index) followed by billing.settle_hold's row for it.
--
-- This file is the definition that runs: a service applies it at start-up, or
-- `npm run migrate` does, whenever its text changed (apps/billing/README.md).
CREATE OR REPLACE FUNCTION billing.settle_holds(p_items jsonb)
RETURNS TABLE (r_index integer, r_outcome text, r_held bigint, r_balance bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_item jsonb;
  v_index bigint;
BEGIN
  PERFORM 1 FROM billing.holds
   WHERE id IN (SELECT (e->>'holdId')::uuid FROM jsonb_array_elements(p_items) e)
   ORDER BY id FOR UPDATE;
  PERFORM 1 FROM billing.accounts
   WHERE user_id IN (SELECT h.user_id FROM billing.holds h
                      WHERE h.id IN (SELECT (e->>'holdId')::uuid FROM jsonb_array_elements(p_items) e)
                     UNION
                     SELECT (e->'admission'->>'userId')::uuid FROM jsonb_array_elements(p_items) e
                      WHERE jsonb_typeof(e->'admission') = 'object')
   ORDER BY user_id FOR UPDATE;
  FOR v_item, v_index IN SELECT e, i FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
    IF jsonb_typeof(v_item->'admission') = 'object' THEN
      IF (v_item->'admission'->>'admissionId')::uuid IS DISTINCT FROM (v_item->>'holdId')::uuid THEN
        RAISE EXCEPTION 'settlement of hold % carries the admission of %', v_item->>'holdId',
          v_item->'admission'->>'admissionId';
      END IF;
      PERFORM 1 FROM billing.record_admission(v_item->'admission');
    END IF;
    RETURN QUERY SELECT v_index::integer, r.* FROM billing.settle_hold(
      (v_item->>'holdId')::uuid, (v_item->>'cost')::bigint, (v_item->>'succeeded')::boolean, v_item->>'reason',
      v_item->>'tid', v_item->>'actor', (v_item->>'channelId')::integer,
      (v_item->>'inputTokens')::integer, (v_item->>'outputTokens')::integer,
      -- Absent (a billing replica from before these counts, during an upgrade): none.
      coalesce((v_item->>'cachedInputTokens')::integer, 0), coalesce((v_item->>'cacheWriteTokens')::integer, 0),
      coalesce((v_item->>'reasoningTokens')::integer, 0),
      (v_item->>'images')::integer, (v_item->>'characters')::integer,
      -- Absent (likewise, before audio pricing): none.
      coalesce((v_item->>'audioSeconds')::integer, 0),
      (v_item->>'latencyMs')::integer, (v_item->>'httpStatus')::integer, (v_item->>'stream')::boolean) r;
  END LOOP;
END
$fn$;
