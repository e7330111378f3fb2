import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reserves and settlements in batches: one transaction, one round trip and
 * one WAL flush for every request that arrived while the previous batch was
 * in the database (see MicroBatcher). Under load one customer's requests no
 * longer queue one by one on that customer's account row; at concurrency 1 a
 * batch is one item and costs what a single call did.
 *
 * Each item is still the single-request function (billing.reserve_hold,
 * billing.settle_hold), so its checks and ledger rows are unchanged. What the
 * batch adds is a global lock order, so that batches on any number of
 * replicas cannot deadlock with each other, with staff adjustments or with
 * the expiry sweeper:
 *
 *   holds (by id) → accounts (by user id) → that user's rate windows and key spend.
 *
 * Every row an item touches after the account belongs to that account's
 * user, so once a transaction holds the accounts it needs, it only waits for
 * transactions that hold those accounts' locks — which never wait for it.
 * Settlements lock their holds first, as the sweeper does (which skips
 * locked holds instead of waiting); reserves insert new holds and lock none.
 *
 * Items come as a JSON array; results name their item by its 1-based index.
 *
 * History: the definitions that run are `src/sql/reserve-holds.sql` and
 * `src/sql/settle-holds.sql`, which replace these (BILLING_REPEATABLE_MIGRATIONS).
 */
const RESERVE_HOLDS_FUNCTION = `
CREATE FUNCTION billing.reserve_holds(p_items jsonb, p_synchronous_commit boolean)
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
      (v_item->>'charactersPrice')::bigint, (v_item->>'multiplierBp')::integer,
      p_synchronous_commit, (v_item->>'holdId')::uuid) r;
  END LOOP;
END
$fn$`;

const SETTLE_HOLDS_FUNCTION = `
CREATE FUNCTION billing.settle_holds(p_items jsonb)
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
                      WHERE h.id IN (SELECT (e->>'holdId')::uuid FROM jsonb_array_elements(p_items) e))
   ORDER BY user_id FOR UPDATE;
  FOR v_item, v_index IN SELECT e, i FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
    RETURN QUERY SELECT v_index::integer, r.* FROM billing.settle_hold(
      (v_item->>'holdId')::uuid, (v_item->>'cost')::bigint, (v_item->>'succeeded')::boolean, v_item->>'reason',
      v_item->>'tid', v_item->>'actor', (v_item->>'channelId')::integer,
      (v_item->>'inputTokens')::integer, (v_item->>'outputTokens')::integer, (v_item->>'images')::integer,
      (v_item->>'characters')::integer, (v_item->>'latencyMs')::integer, (v_item->>'httpStatus')::integer,
      (v_item->>'stream')::boolean) r;
  END LOOP;
END
$fn$`;

export class ReserveAndSettleInBatches1764600000000 implements MigrationInterface {
  name = 'ReserveAndSettleInBatches1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(RESERVE_HOLDS_FUNCTION);
    await q.query(SETTLE_HOLDS_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION billing.settle_holds`);
    await q.query(`DROP FUNCTION billing.reserve_holds`);
  }
}
