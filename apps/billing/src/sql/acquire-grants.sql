-- billing.acquire_grants: credit grants for edge replicas, the ones that
-- arrived together in one transaction (see MicroBatcher). A grant is one
-- bundle for one edge and one (user, key, model, one-minute rate window):
-- money, earmarked as a lien on the user's balance (accounts.granted_micros)
-- and on the key's spend (key_spend.granted_micros), and requests, counted
-- at once in both rate windows (key+model and user). The edge then admits
-- that key's requests for that model from memory until the grant runs out,
-- expires or is returned (return-grants.sql); each admission becomes a hold
-- when billing records it (record-admissions.sql).
--
-- Each item (billing.acquire_grant), all or nothing:
--   n = min(wantRequests, floor(key_free / shareDivisor), floor(user_free / shareDivisor))
--       where key_free = keyRpm - count(keyScope, window), user_free likewise;
--   g = min(wantMicros, floor(money_free / shareDivisor))
--       where money_free = balance - granted, and for a key with a budget
--       also at most budget - spent - granted of its key_spend row;
--   'few_left' (nothing written) when n < fallbackRequests or
--   g < fallbackRequests * unitMicros: what is free is a few requests'
--   worth, and every edge goes back to per-request holds, whose checks are
--   exact (reserve-hold.sql); otherwise both windows count += n, both liens
--   += g, and the grant row is written: 'granted'.
--   'duplicate' when a grant with that id exists (nothing changes);
--   'no_account' when the user has no account row (no money).
--
-- Guarantees:
-- - No promise twice: under the account lock every writer of what this
--   reads (the user's balance and liens, the key's spend, both rate windows)
--   holds that same lock first, so what is read is what is written over;
--   and every write still carries its own condition (count + n <= limit,
--   balance - granted >= g, spent + granted + g <= budget) and raises when
--   it fails, so a broken lock order elsewhere shows as an error, never as
--   a grant beyond what is free.
-- - A grant never outlives its window: expires_at = least(now() +
--   validityMs, the window's end), on the database clock, so its requests
--   are all admitted inside the window they were counted in.
-- - Lock order, the global one of reserve-holds.sql: accounts (by user id,
--   all of the batch's first) → that user's rate windows, key spend and
--   grants. A new grant is inserted only under its user's account lock.
-- - All or nothing per batch: one statement, one transaction. MicroBatcher
--   retries a failed batch item by item. Commits synchronously: a grant a
--   crashed PostgreSQL forgot would let an edge spend money billing no
--   longer earmarks.
--
-- r_outcome is one of ACQUIRE_GRANTS_OUTCOMES (sql-outcomes.ts). A granted
-- item also returns what it got, the key's limit, the key window's count
-- before it, and in whole milliseconds (floor) how long the grant is valid
-- and when the window ends; 'few_left' and 'no_account' return the key's
-- limit, count and window end (the rest null); 'duplicate' only nulls.
--
-- This file is the definition that runs: a service applies it at start-up, or
-- `npm run migrate` does, whenever its text changed (apps/billing/README.md).
CREATE OR REPLACE FUNCTION billing.acquire_grant(p jsonb)
RETURNS TABLE (r_outcome text, r_money bigint, r_requests integer, r_key_limit integer,
               r_key_count_before integer, r_valid_for_ms bigint, r_window_ends_in_ms bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_grant uuid := (p->>'grantId')::uuid;
  v_user uuid := (p->>'userId')::uuid;
  v_key uuid := (p->>'keyId')::uuid;
  v_key_scope text := p->>'keyScope';
  v_user_scope text := p->>'userScope';
  v_key_rpm integer := (p->>'keyRpm')::integer;
  v_user_rpm integer := (p->>'userRpm')::integer;
  v_key_budget bigint := (p->>'keyBudget')::bigint;
  v_divisor integer := (p->>'shareDivisor')::integer;
  v_fallback integer := (p->>'fallbackRequests')::integer;
  v_window timestamptz := date_trunc('minute', now());
  v_window_ends_in_ms bigint :=
    floor(extract(epoch FROM date_trunc('minute', now()) + interval '1 minute' - now()) * 1000)::bigint;
  v_expires timestamptz;
  v_key_count integer;
  v_user_count integer;
  v_balance bigint;
  v_granted bigint;
  v_spent bigint := 0;
  v_key_granted bigint := 0;
  v_money_free bigint;
  v_n integer;
  v_g bigint;
  v_written bigint;
BEGIN
  IF v_divisor IS NULL OR v_divisor < 1 THEN
    RAISE EXCEPTION 'grant %: shareDivisor must be a whole number of at least 1', v_grant;
  END IF;
  IF EXISTS (SELECT 1 FROM billing.grants WHERE id = v_grant) THEN
    RETURN QUERY SELECT 'duplicate'::text, NULL::bigint, NULL::integer, NULL::integer, NULL::integer,
                        NULL::bigint, NULL::bigint;
    RETURN;
  END IF;

  -- Locked by billing.acquire_grants.
  SELECT balance_micros, granted_micros INTO v_balance, v_granted FROM billing.accounts WHERE user_id = v_user;
  SELECT count INTO v_key_count FROM billing.rate_windows
   WHERE scope = v_key_scope AND window_start = v_window FOR UPDATE;
  v_key_count := coalesce(v_key_count, 0);
  IF v_balance IS NULL THEN
    RETURN QUERY SELECT 'no_account'::text, NULL::bigint, NULL::integer, v_key_rpm, v_key_count,
                        NULL::bigint, v_window_ends_in_ms;
    RETURN;
  END IF;
  SELECT count INTO v_user_count FROM billing.rate_windows
   WHERE scope = v_user_scope AND window_start = v_window FOR UPDATE;
  v_user_count := coalesce(v_user_count, 0);

  -- floor on numeric: a limit lowered below its count, or a balance below
  -- zero, gives a negative share, which is below any fallback floor.
  v_n := least((p->>'wantRequests')::integer,
               floor((v_key_rpm - v_key_count)::numeric / v_divisor)::integer,
               floor((v_user_rpm - v_user_count)::numeric / v_divisor)::integer);
  v_money_free := v_balance - v_granted;
  IF v_key_budget IS NOT NULL THEN
    SELECT spent_micros, granted_micros INTO v_spent, v_key_granted FROM billing.key_spend WHERE key_id = v_key;
    v_money_free := least(v_money_free, v_key_budget - coalesce(v_spent, 0) - coalesce(v_key_granted, 0));
  END IF;
  v_g := least((p->>'wantMicros')::bigint, floor(v_money_free::numeric / v_divisor)::bigint);
  IF v_n < v_fallback OR v_g < v_fallback * (p->>'unitMicros')::bigint THEN
    RETURN QUERY SELECT 'few_left'::text, NULL::bigint, NULL::integer, v_key_rpm, v_key_count,
                        NULL::bigint, v_window_ends_in_ms;
    RETURN;
  END IF;

  -- The writes. Each re-states its check; none can fail under the account lock.
  INSERT INTO billing.rate_windows AS w (scope, window_start, count) VALUES (v_key_scope, v_window, v_n)
    ON CONFLICT (scope, window_start) DO UPDATE SET count = w.count + v_n WHERE w.count + v_n <= v_key_rpm
    RETURNING w.count INTO v_written;
  IF v_written IS NULL THEN
    RAISE EXCEPTION 'grant %: the key''s rate window changed under the account lock', v_grant;
  END IF;
  v_written := NULL;
  INSERT INTO billing.rate_windows AS w (scope, window_start, count) VALUES (v_user_scope, v_window, v_n)
    ON CONFLICT (scope, window_start) DO UPDATE SET count = w.count + v_n WHERE w.count + v_n <= v_user_rpm
    RETURNING w.count INTO v_written;
  IF v_written IS NULL THEN
    RAISE EXCEPTION 'grant %: the user''s rate window changed under the account lock', v_grant;
  END IF;
  v_written := NULL;
  UPDATE billing.accounts SET granted_micros = granted_micros + v_g, updated_at = now()
   WHERE user_id = v_user AND balance_micros - granted_micros >= v_g
  RETURNING granted_micros INTO v_written;
  IF v_written IS NULL THEN
    RAISE EXCEPTION 'grant %: the balance changed under the account lock', v_grant;
  END IF;
  v_written := NULL;
  INSERT INTO billing.key_spend AS s (key_id, user_id, spent_micros, granted_micros) VALUES (v_key, v_user, 0, v_g)
    ON CONFLICT (key_id) DO UPDATE SET granted_micros = s.granted_micros + v_g, updated_at = now()
    WHERE v_key_budget IS NULL OR s.spent_micros + s.granted_micros + v_g <= v_key_budget
    RETURNING s.granted_micros INTO v_written;
  IF v_written IS NULL THEN
    RAISE EXCEPTION 'grant %: the key''s spend changed under the account lock', v_grant;
  END IF;

  v_expires := least(now() + (p->>'validityMs')::bigint * interval '1 millisecond', v_window + interval '1 minute');
  INSERT INTO billing.grants (
    id, edge_id, user_id, key_id, model, group_name, key_scope, user_scope, window_start,
    money_amount, requests_amount,
    input_per_million_micros, output_per_million_micros, characters_per_million_micros,
    cached_input_per_million_micros, cache_write_per_million_micros, reasoning_per_million_micros,
    multiplier_bp, status, expires_at)
  VALUES (
    v_grant, (p->>'edgeId')::uuid, v_user, v_key, p->>'model', p->>'group', v_key_scope, v_user_scope, v_window,
    v_g, v_n,
    (p->>'inputPrice')::bigint, (p->>'outputPrice')::bigint, (p->>'charactersPrice')::bigint,
    (p->>'cachedInputPrice')::bigint, (p->>'cacheWritePrice')::bigint, (p->>'reasoningPrice')::bigint,
    (p->>'multiplierBp')::integer, 'open', v_expires);

  RETURN QUERY SELECT 'granted'::text, v_g, v_n, v_key_rpm, v_key_count,
                      greatest(0, floor(extract(epoch FROM v_expires - now()) * 1000))::bigint, v_window_ends_in_ms;
END
$fn$;

CREATE OR REPLACE FUNCTION billing.acquire_grants(p_items jsonb)
RETURNS TABLE (r_index integer, r_outcome text, r_money bigint, r_requests integer, r_key_limit integer,
               r_key_count_before integer, r_valid_for_ms bigint, r_window_ends_in_ms bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_item jsonb;
  v_index bigint;
BEGIN
  PERFORM 1 FROM billing.accounts
   WHERE user_id IN (SELECT DISTINCT (e->>'userId')::uuid FROM jsonb_array_elements(p_items) e)
   ORDER BY user_id FOR UPDATE;
  FOR v_item, v_index IN SELECT e, i FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
    RETURN QUERY SELECT v_index::integer, r.* FROM billing.acquire_grant(v_item) r;
  END LOOP;
END
$fn$;
