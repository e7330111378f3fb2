import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Prices to the token: cached input, cache writes and reasoning, each with a
 * price of its own per million tokens, and the usage log keeping how many of
 * each a request had.
 *
 * The prices are nullable: null means the part is charged at its whole's
 * price (cached input and cache writes at the input price, reasoning at the
 * output price), which is also what every price and hold made before this
 * migration means. A hold keeps the three prices it was quoted at, as it
 * keeps the others, so its settlement charges at them. The usage log's
 * counts default to 0, what a request before this migration had; adding a
 * column with a constant default rewrites no rows.
 *
 * The money functions take the new values as arguments: their definitions
 * are `src/sql/reserve-hold.sql` and `src/sql/settle-hold.sql`, which drop
 * the versions with the old argument lists (BILLING_REPEATABLE_MIGRATIONS).
 */
export class PriceTokenParts1764730000000 implements MigrationInterface {
  name = 'PriceTokenParts1764730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE billing.prices
        ADD COLUMN cached_input_per_million_micros bigint CHECK (cached_input_per_million_micros >= 0),
        ADD COLUMN cache_write_per_million_micros bigint CHECK (cache_write_per_million_micros >= 0),
        ADD COLUMN reasoning_per_million_micros bigint CHECK (reasoning_per_million_micros >= 0)`);
    await q.query(`
      ALTER TABLE billing.holds
        ADD COLUMN cached_input_per_million_micros bigint,
        ADD COLUMN cache_write_per_million_micros bigint,
        ADD COLUMN reasoning_per_million_micros bigint`);
    await q.query(`
      ALTER TABLE billing.usage_log
        ADD COLUMN cached_input_tokens integer NOT NULL DEFAULT 0,
        ADD COLUMN cache_write_tokens integer NOT NULL DEFAULT 0,
        ADD COLUMN reasoning_tokens integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE billing.usage_log
        DROP COLUMN reasoning_tokens, DROP COLUMN cache_write_tokens, DROP COLUMN cached_input_tokens`);
    await q.query(`
      ALTER TABLE billing.holds
        DROP COLUMN reasoning_per_million_micros, DROP COLUMN cache_write_per_million_micros,
        DROP COLUMN cached_input_per_million_micros`);
    await q.query(`
      ALTER TABLE billing.prices
        DROP COLUMN reasoning_per_million_micros, DROP COLUMN cache_write_per_million_micros,
        DROP COLUMN cached_input_per_million_micros`);
  }
}
