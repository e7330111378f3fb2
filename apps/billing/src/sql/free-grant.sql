-- billing.free_grant: gives back what a grant no longer keeps, when its
-- amounts are cut (a return, billing.return_grants) or it closes (the
-- sweeper, billing.close_grants): p_money micro-units off both liens
-- (accounts.granted_micros, key_spend.granted_micros) and p_requests to both
-- rate windows — only while the grant's window is still the current one: an
-- ended window counts nothing any more, and giving its requests back would
-- let nobody in.
--
-- Guarantees:
-- - The caller holds the user's account lock and the grant's row lock, and
--   has already cut the grant's amounts by the same p_money and p_requests
--   in its transaction, so that the liens stay equal to the sum of
--   (amount - drawn) over the grants not closed (reconcile's
--   granted_vs_open_grants and key_granted_vs_open_grants).
-- - A lien never goes below zero (a CHECK); a window's count is floored at
--   0 (rate_windows is UNLOGGED: after a crash it comes back empty).
--
-- This file is the definition that runs: a service applies it at start-up, or
-- `npm run migrate` does, whenever its text changed (apps/billing/README.md).
CREATE OR REPLACE FUNCTION billing.free_grant(
  p_user_id uuid, p_key_id uuid, p_key_scope text, p_user_scope text, p_window_start timestamptz,
  p_money bigint, p_requests integer
) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF p_money > 0 THEN
    UPDATE billing.accounts SET granted_micros = granted_micros - p_money, updated_at = now()
     WHERE user_id = p_user_id;
    UPDATE billing.key_spend SET granted_micros = granted_micros - p_money, updated_at = now()
     WHERE key_id = p_key_id;
  END IF;
  IF p_requests > 0 AND p_window_start = date_trunc('minute', now()) THEN
    UPDATE billing.rate_windows SET count = greatest(0, count - p_requests)
     WHERE window_start = p_window_start AND scope IN (p_key_scope, p_user_scope);
  END IF;
END
$fn$;
