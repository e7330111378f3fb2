import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The users billing has learnt from auth (its lifecycle events, its
 * directory, or an answer to a lookup): money moves only for an account whose
 * user is here. Auth owns users; this is billing's own record of what auth
 * said, since no service reads another's tables.
 *
 * `auth_updated_at` is auth's time of the version recorded, so a version that
 * arrives late (an event overtaken by a catch-up page, say) never replaces a
 * newer one. Auth never deletes a user, so neither does billing.
 *
 * No foreign key from `accounts`: accounts made before this table existed
 * (for any id staff typed) have no row here, and reconcile must be able to
 * report them rather than the migration refusing to run.
 */
export class KnownUsers1764700000000 implements MigrationInterface {
  name = 'KnownUsers1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.known_users (
        user_id uuid PRIMARY KEY,
        group_name text NOT NULL,
        status text NOT NULL,
        auth_updated_at timestamptz NOT NULL,
        learned_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE billing.known_users`);
  }
}
