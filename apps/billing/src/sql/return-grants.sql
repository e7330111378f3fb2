-- billing.return_grants: an edge gives back grants it no longer admits on
-- (idle, renewed, reclaimed, shutting down, or an acquire whose reply was
-- lost), each with what it admitted on it: admittedMicros and admissions,
-- everything it took, records in flight included.
--
-- Each item (billing.return_grant):
-- - 'unknown': no grant with that id for that edge (edge_id must match);
--   nothing changes.
-- - 'not_open': returned, draining or closed already (a duplicate return,
--   or the sweeper was first); nothing changes.
-- - else the amounts are cut to what the edge admitted, never below what
--   billing has drawn (records applied) nor above what was granted:
--     money_amount    := least(money_amount, greatest(admittedMicros, money_drawn))
--     requests_amount := least(requests_amount, greatest(admissions, requests_drawn))
--   and the difference is freed (billing.free_grant: both liens; the
--   requests go back to both rate windows only while the grant's window is
--   the current one). When the amounts now equal what was drawn the grant
--   is 'closed'; otherwise it is 'returned' with drain_seq = p_drain_seq
--   (the admission stream's last sequence, read by the caller before this
--   call: every record of this grant has a sequence up to it, since the edge
--   stopped admitting on it before it sent the return), and it closes when
--   its last records are applied (record-admissions.sql) or the consumer's
--   ack floor passes drain_seq (close-grants.sql). close_reason = reason.
--
-- Guarantees:
-- - What a record will still draw stays in the lien: the amount is never
--   cut below what the edge admitted, so a record applied after the return
--   still finds room in its grant.
-- - Lock order, the global one of reserve-holds.sql: the grants' accounts
--   (by user id) → the grants (by id) → that user's key spend and rate
--   windows.
-- - All or nothing per batch: one statement, one transaction.
--
-- r_outcome is one of RETURN_GRANTS_OUTCOMES (sql-outcomes.ts).
--
-- This file is the definition that runs: a service applies it at start-up, or
-- `npm run migrate` does, whenever its text changed (apps/billing/README.md).
CREATE OR REPLACE FUNCTION billing.return_grant(p jsonb, p_drain_seq bigint)
RETURNS TABLE (r_outcome text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_grant billing.grants%ROWTYPE;
  v_money bigint;
  v_requests integer;
BEGIN
  -- Locked by billing.return_grants.
  SELECT * INTO v_grant FROM billing.grants WHERE id = (p->>'grantId')::uuid AND edge_id = (p->>'edgeId')::uuid;
  IF v_grant.id IS NULL THEN
    RETURN QUERY SELECT 'unknown'::text;
    RETURN;
  END IF;
  IF v_grant.status <> 'open' THEN
    RETURN QUERY SELECT 'not_open'::text;
    RETURN;
  END IF;

  v_money := least(v_grant.money_amount, greatest((p->>'admittedMicros')::bigint, v_grant.money_drawn));
  v_requests := least(v_grant.requests_amount, greatest((p->>'admissions')::integer, v_grant.requests_drawn));
  UPDATE billing.grants
     SET money_amount = v_money, requests_amount = v_requests,
         status = CASE WHEN v_money = money_drawn AND v_requests = requests_drawn THEN 'closed' ELSE 'returned' END,
         drain_seq = p_drain_seq, close_reason = p->>'reason', updated_at = now(),
         closed_at = CASE WHEN v_money = money_drawn AND v_requests = requests_drawn THEN now() END
   WHERE id = v_grant.id;
  PERFORM billing.free_grant(v_grant.user_id, v_grant.key_id, v_grant.key_scope, v_grant.user_scope,
                             v_grant.window_start, v_grant.money_amount - v_money,
                             v_grant.requests_amount - v_requests);

  IF v_money = v_grant.money_drawn AND v_requests = v_grant.requests_drawn THEN
    RETURN QUERY SELECT 'closed'::text;
  ELSE
    RETURN QUERY SELECT 'returned'::text;
  END IF;
END
$fn$;

CREATE OR REPLACE FUNCTION billing.return_grants(p_items jsonb, p_drain_seq bigint)
RETURNS TABLE (r_index integer, r_outcome text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_ids uuid[] := ARRAY(SELECT (e->>'grantId')::uuid FROM jsonb_array_elements(p_items) e);
  v_item jsonb;
  v_index bigint;
BEGIN
  -- A grant's user never changes: read unlocked, then locked in the global order.
  PERFORM 1 FROM billing.accounts
   WHERE user_id IN (SELECT g.user_id FROM billing.grants g WHERE g.id = ANY(v_ids))
   ORDER BY user_id FOR UPDATE;
  PERFORM 1 FROM billing.grants WHERE id = ANY(v_ids) ORDER BY id FOR UPDATE;
  FOR v_item, v_index IN SELECT e, i FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
    RETURN QUERY SELECT v_index::integer, r.r_outcome FROM billing.return_grant(v_item, p_drain_seq) r;
  END LOOP;
END
$fn$;
