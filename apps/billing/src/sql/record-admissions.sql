-- billing.record_admission: turns one request an edge admitted from a
-- grant into that request's hold, exactly once. The record comes from the
-- admission stream (billing.record_admissions) or rides on the request's
-- settlement (settle-holds.sql), whichever billing applies first; the hold
-- id is the admission id.
--
-- Per record (p: admissionId, grantId, userId, keyId, model, tid,
-- amountMicros, ttlMs):
-- - 'unknown_grant': no grant with that id for that user, key and model
--   (never made, or closed and deleted a day later); nothing is written.
-- - The hold is inserted ON CONFLICT (id) DO NOTHING, with the prices,
--   multiplier and group of the grant, no image size and no image or audio
--   price, grant_id, expires_at = now() + ttlMs. No row inserted:
--   'duplicate', and nothing else happens.
-- - If the grant is not closed and its money and requests still cover the
--   record (drawn + A <= amount, drawn + 1 <= requests): drawn += A and += 1,
--   and A moves from the liens (accounts and key_spend granted_micros) to
--   the hold: 'recorded'. Otherwise 'recorded_outside_grant': the request
--   was served, so it is still held and charged, but nothing it took is
--   left in a lien (the grant was closed first, say: the service logs it);
--   its rate windows are not counted again.
-- - Either way, as reserve-hold.sql does: balance -= A, held += A,
--   key_spend.spent += A (the row made if the key has none), and the ledger
--   row 'hold -A' (actor key:<keyId>, reason the model, the record's tid,
--   idempotency key hold:<id>).
-- - A returned or draining grant whose amounts now equal what was drawn is
--   closed in the same call: nothing more can come for it.
--
-- Guarantees:
-- - At most once per admission id: the holds primary key, under the user's
--   account lock (two replicas applying the same record wait for each other,
--   and the second finds the hold).
-- - What an edge admitted was earmarked: A was counted in the grant's lien
--   when it was granted, so moving it to a hold changes
--   balance - granted not at all; no check of the balance is needed, and
--   none is made (the request has been served).
-- - Lock order, the global one of reserve-holds.sql: the caller holds the
--   user's account lock; then the grant, the new hold, the key's spend.
--
-- billing.record_admissions locks the accounts of the records' users in
-- user-id order, then calls billing.record_admission per record; all or
-- nothing per batch (MicroBatcher retries a failed batch item by item).
--
-- r_outcome is one of RECORD_ADMISSION_OUTCOMES (sql-outcomes.ts).
--
-- This file is the definition that runs: a service applies it at start-up, or
-- `npm run migrate` does, whenever its text changed (apps/billing/README.md).
CREATE OR REPLACE FUNCTION billing.record_admission(p jsonb)
RETURNS TABLE (r_outcome text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_hold uuid := (p->>'admissionId')::uuid;
  v_amount bigint := (p->>'amountMicros')::bigint;
  v_grant billing.grants%ROWTYPE;
  v_inserted uuid;
  v_in_grant boolean;
  v_balance bigint;
BEGIN
  SELECT * INTO v_grant FROM billing.grants
   WHERE id = (p->>'grantId')::uuid AND user_id = (p->>'userId')::uuid AND key_id = (p->>'keyId')::uuid
     AND model = p->>'model'
   FOR UPDATE;
  IF v_grant.id IS NULL THEN
    RETURN QUERY SELECT 'unknown_grant'::text;
    RETURN;
  END IF;

  INSERT INTO billing.holds (
    id, user_id, key_id, model, group_name, amount_micros, status, tid, image_size,
    input_per_million_micros, output_per_million_micros, image_price_micros, characters_per_million_micros,
    cached_input_per_million_micros, cache_write_per_million_micros, reasoning_per_million_micros,
    audio_per_minute_micros, multiplier_bp, grant_id, expires_at)
  VALUES (
    v_hold, v_grant.user_id, v_grant.key_id, v_grant.model, v_grant.group_name, v_amount, 'open', p->>'tid', NULL,
    v_grant.input_per_million_micros, v_grant.output_per_million_micros, NULL, v_grant.characters_per_million_micros,
    v_grant.cached_input_per_million_micros, v_grant.cache_write_per_million_micros,
    v_grant.reasoning_per_million_micros,
    NULL, v_grant.multiplier_bp, v_grant.id, now() + (p->>'ttlMs')::bigint * interval '1 millisecond')
  ON CONFLICT (id) DO NOTHING
  RETURNING id INTO v_inserted;
  IF v_inserted IS NULL THEN
    RETURN QUERY SELECT 'duplicate'::text;
    RETURN;
  END IF;

  v_in_grant := v_grant.status <> 'closed'
            AND v_grant.money_drawn + v_amount <= v_grant.money_amount
            AND v_grant.requests_drawn + 1 <= v_grant.requests_amount;
  IF v_in_grant THEN
    -- Closes a returned or draining grant that this record used up.
    UPDATE billing.grants
       SET money_drawn = money_drawn + v_amount, requests_drawn = requests_drawn + 1, updated_at = now(),
           status = CASE WHEN status IN ('returned', 'draining')
                          AND money_drawn + v_amount = money_amount AND requests_drawn + 1 = requests_amount
                         THEN 'closed' ELSE status END,
           closed_at = CASE WHEN status IN ('returned', 'draining')
                             AND money_drawn + v_amount = money_amount AND requests_drawn + 1 = requests_amount
                            THEN now() ELSE closed_at END
     WHERE id = v_grant.id;
  END IF;

  UPDATE billing.accounts
     SET balance_micros = balance_micros - v_amount, held_micros = held_micros + v_amount,
         granted_micros = granted_micros - CASE WHEN v_in_grant THEN v_amount ELSE 0 END, updated_at = now()
   WHERE user_id = v_grant.user_id
  RETURNING balance_micros INTO v_balance;
  IF v_balance IS NULL THEN
    RAISE EXCEPTION 'grant % has no account row for user %', v_grant.id, v_grant.user_id;
  END IF;
  INSERT INTO billing.key_spend AS s (key_id, user_id, spent_micros) VALUES (v_grant.key_id, v_grant.user_id, v_amount)
    ON CONFLICT (key_id) DO UPDATE
    SET spent_micros = s.spent_micros + v_amount,
        granted_micros = s.granted_micros - CASE WHEN v_in_grant THEN v_amount ELSE 0 END, updated_at = now();
  INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, hold_id, actor, reason, tid, idempotency_key)
  VALUES (v_grant.user_id, 'hold', -v_amount, v_balance, v_hold, 'key:' || v_grant.key_id, v_grant.model, p->>'tid',
          'hold:' || v_hold);

  IF v_in_grant THEN
    RETURN QUERY SELECT 'recorded'::text;
  ELSE
    RETURN QUERY SELECT 'recorded_outside_grant'::text;
  END IF;
END
$fn$;

CREATE OR REPLACE FUNCTION billing.record_admissions(p_items jsonb)
RETURNS TABLE (r_index integer, r_outcome text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_item jsonb;
  v_index bigint;
BEGIN
  PERFORM 1 FROM billing.accounts
   WHERE user_id IN (SELECT DISTINCT (e->>'userId')::uuid FROM jsonb_array_elements(p_items) e)
   ORDER BY user_id FOR UPDATE;
  FOR v_item, v_index IN SELECT e, i FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
    RETURN QUERY SELECT v_index::integer, r.r_outcome FROM billing.record_admission(v_item) r;
  END LOOP;
END
$fn$;
