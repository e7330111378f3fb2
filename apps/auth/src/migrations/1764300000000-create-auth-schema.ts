import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuthSchema1764300000000 implements MigrationInterface {
  name = 'CreateAuthSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text,
        role text NOT NULL CHECK (role IN ('user', 'billing', 'admin', 'root')),
        group_name text NOT NULL DEFAULT 'default',
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        name text NOT NULL DEFAULT '',
        key_hash text NOT NULL,
        prefix text NOT NULL,
        last6 text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
        expires_at timestamptz,
        allowed_models text[],
        allowed_ip_ranges text[],
        budget_micros bigint CHECK (budget_micros IS NULL OR budget_micros >= 0),
        rpm_limit integer CHECK (rpm_limit IS NULL OR rpm_limit > 0),
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Authentication is this one indexed lookup.
    await q.query(`CREATE UNIQUE INDEX api_keys_key_hash ON api_keys (key_hash)`);
    await q.query(`CREATE INDEX api_keys_user_id ON api_keys (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE users`);
  }
}
