-- billing.close_grants: the grant sweeper, one round. It frees what grants
-- nobody will use any more keep from others, once nothing a served request
-- still needs is left in them.
--
-- 1. An open grant whose expires_at + p_grace_ms has passed (its edge died,
--    or lost the reply to its acquire) becomes 'draining', with drain_seq =
--    p_drain_seq and close_reason 'expired'. The caller reads p_drain_seq,
--    the admission stream's last sequence, just before the call; the grace
--    (at least the edge's append timeout) makes it later than every record
--    the edge can have appended for a request it served on that grant.
-- 2. A returned or draining grant closes when its amounts equal what was
--    drawn, or when the admission consumer's ack floor p_ack_floor has
--    reached its drain_seq (every record stored up to then is applied, so
--    none is left to draw on it). Its amounts become what was drawn, and the
--    rest is freed (billing.free_grant: both liens; requests back to both
--    rate windows only while the grant's window is the current one). A
--    grant drained in step 1 closes in the same round when the floor is
--    already past p_drain_seq.
-- 3. Closed grants older than a day are deleted (their holds keep grant_id).
--
-- Returns one row: grants drained, grants closed, micro-units freed.
--
-- Guarantees:
-- - One replica sweeps at a time (a transaction-scoped advisory lock); the
--   others get zeros for this round instead of queueing.
-- - Never before the ack floor: a draining or returned grant with unused
--   amounts stays in its lien until the floor passes its drain_seq, so a
--   record applied late still finds room (record-admissions.sql).
-- - Lock order, the global one of reserve-holds.sql: the affected grants'
--   accounts (by user id) → those grants (by id) → that user's key spend
--   and rate windows. The conditions are checked again once locked: a grant
--   returned or used up meanwhile is taken as it is then. The delete skips
--   grants locked by anyone (SKIP LOCKED) instead of waiting for them.
-- - All or nothing: one statement, one transaction.
--
-- This file is the definition that runs: a service applies it at start-up, or
-- `npm run migrate` does, whenever its text changed (apps/billing/README.md).
CREATE OR REPLACE FUNCTION billing.close_grants(p_drain_seq bigint, p_ack_floor bigint, p_grace_ms bigint)
RETURNS TABLE (r_drained integer, r_closed integer, r_freed_micros bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_grace interval := p_grace_ms * interval '1 millisecond';
  v_grants uuid[];
  v_users uuid[];
  v_drained integer := 0;
  v_closed integer := 0;
  v_freed bigint := 0;
  v_grant billing.grants%ROWTYPE;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('tollgate-billing-grant-sweep')) THEN
    RETURN QUERY SELECT 0, 0, 0::bigint;
    RETURN;
  END IF;

  -- Read unlocked (a grant's user never changes), then locked in the global order.
  SELECT array_agg(g.id ORDER BY g.id), array_agg(DISTINCT g.user_id) INTO v_grants, v_users
    FROM billing.grants g
   WHERE (g.status = 'open' AND g.expires_at + v_grace < now())
      OR (g.status IN ('returned', 'draining')
          AND (g.drain_seq <= p_ack_floor
               OR (g.money_amount = g.money_drawn AND g.requests_amount = g.requests_drawn)));
  IF v_grants IS NOT NULL THEN
    PERFORM 1 FROM billing.accounts WHERE user_id = ANY(v_users) ORDER BY user_id FOR UPDATE;
    PERFORM 1 FROM billing.grants WHERE id = ANY(v_grants) ORDER BY id FOR UPDATE;

    UPDATE billing.grants
       SET status = 'draining', drain_seq = p_drain_seq, close_reason = 'expired', updated_at = now()
     WHERE id = ANY(v_grants) AND status = 'open' AND expires_at + v_grace < now();
    GET DIAGNOSTICS v_drained = ROW_COUNT;

    FOR v_grant IN
      SELECT * FROM billing.grants
       WHERE id = ANY(v_grants) AND status IN ('returned', 'draining')
         AND (drain_seq <= p_ack_floor OR (money_amount = money_drawn AND requests_amount = requests_drawn))
       ORDER BY id
    LOOP
      UPDATE billing.grants
         SET money_amount = money_drawn, requests_amount = requests_drawn, status = 'closed',
             closed_at = now(), updated_at = now()
       WHERE id = v_grant.id;
      PERFORM billing.free_grant(v_grant.user_id, v_grant.key_id, v_grant.key_scope, v_grant.user_scope,
                                 v_grant.window_start, v_grant.money_amount - v_grant.money_drawn,
                                 v_grant.requests_amount - v_grant.requests_drawn);
      v_closed := v_closed + 1;
      v_freed := v_freed + (v_grant.money_amount - v_grant.money_drawn);
    END LOOP;
  END IF;

  DELETE FROM billing.grants
   WHERE id IN (SELECT id FROM billing.grants
                 WHERE status = 'closed' AND closed_at < now() - interval '1 day'
                 FOR UPDATE SKIP LOCKED);

  RETURN QUERY SELECT v_drained, v_closed, v_freed;
END
$fn$;
