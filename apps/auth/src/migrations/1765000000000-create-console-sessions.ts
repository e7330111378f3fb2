import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Console sessions (SessionsService): the token's hash, the key it was opened with, and its end. */
export class CreateConsoleSessions1765000000000 implements MigrationInterface {
  name = 'CreateConsoleSessions1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL,
        key_id uuid NOT NULL REFERENCES api_keys(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    // Every console request is this one indexed lookup; sign-in deletes the ended ones by expires_at.
    await q.query(`CREATE UNIQUE INDEX console_sessions_token_hash ON console_sessions (token_hash)`);
    await q.query(`CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_sessions`);
  }
}
