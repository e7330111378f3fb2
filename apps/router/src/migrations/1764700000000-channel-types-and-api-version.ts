import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provider adapters: every channel type the gateway has an adapter for, and
 * Azure's `api-version` (null = the adapter's default, and for every other
 * type). A type is allowed here as soon as it has an adapter; CHANNEL_TYPES
 * in the contracts is what the admin API accepts.
 */
export class ChannelTypesAndApiVersion1764700000000 implements MigrationInterface {
  name = 'ChannelTypesAndApiVersion1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channels ADD COLUMN api_version text`);
    await q.query(`ALTER TABLE channels DROP CONSTRAINT channels_type_check`);
    await q.query(
      `ALTER TABLE channels ADD CONSTRAINT channels_type_check CHECK (type IN ('openai', 'azure', 'anthropic', 'gemini'))`,
    );
    await q.query(
      `ALTER TABLE channels ADD CONSTRAINT channels_api_version_check CHECK (api_version IS NULL OR type = 'azure')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM channels WHERE type <> 'openai'`);
    await q.query(`ALTER TABLE channels DROP CONSTRAINT channels_api_version_check`);
    await q.query(`ALTER TABLE channels DROP CONSTRAINT channels_type_check`);
    await q.query(`ALTER TABLE channels ADD CONSTRAINT channels_type_check CHECK (type IN ('openai'))`);
    await q.query(`ALTER TABLE channels DROP COLUMN api_version`);
  }
}
