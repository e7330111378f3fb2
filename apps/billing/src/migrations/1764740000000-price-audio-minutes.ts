import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Prices per audio minute, for the models OpenAI bills by duration
 * (whisper-1 at $0.006 a minute), and the usage log keeping the seconds a
 * request was charged for.
 *
 * The price is nullable: null means the model is not priced by duration,
 * which is what every price made before this migration means (a reserve
 * with audio seconds for such a model is refused as model_price_missing).
 * A hold keeps the per-minute price it was quoted at, as it keeps the
 * others. The usage log's count defaults to 0, what a request before this
 * migration had; a constant default rewrites no rows.
 *
 * The money functions take the new values as arguments: their definitions
 * are `src/sql/reserve-hold.sql` and `src/sql/settle-hold.sql`, which drop
 * the versions with the old argument lists (BILLING_REPEATABLE_MIGRATIONS).
 */
export class PriceAudioMinutes1764740000000 implements MigrationInterface {
  name = 'PriceAudioMinutes1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE billing.prices
        ADD COLUMN audio_per_minute_micros bigint CHECK (audio_per_minute_micros >= 0)`);
    await q.query(`ALTER TABLE billing.holds ADD COLUMN audio_per_minute_micros bigint`);
    await q.query(`ALTER TABLE billing.usage_log ADD COLUMN audio_seconds integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing.usage_log DROP COLUMN audio_seconds`);
    await q.query(`ALTER TABLE billing.holds DROP COLUMN audio_per_minute_micros`);
    await q.query(`ALTER TABLE billing.prices DROP COLUMN audio_per_minute_micros`);
  }
}
