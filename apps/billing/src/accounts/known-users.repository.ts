import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserRecord } from '@tollgate/contracts';

/**
 * billing.known_users: the users auth has told billing about. Writes are
 * idempotent and keep the newest version of each user by auth's own
 * `updatedAt`, so events, catch-up pages and lookups may arrive in any order,
 * twice, or on every replica at once, and the table still ends as auth is.
 */
@Injectable()
export class KnownUsersRepository {
  constructor(private readonly db: DataSource) {}

  async record(records: readonly UserRecord[]): Promise<void> {
    const newest = new Map<string, UserRecord>();
    for (const record of records) {
      const id = record.id.toLowerCase();
      const seen = newest.get(id);
      if (!seen || Date.parse(seen.updatedAt) <= Date.parse(record.updatedAt)) newest.set(id, { ...record, id });
    }
    if (newest.size === 0) return;
    // In id order, so that two replicas recording overlapping users lock their rows in the same order.
    const rows = [...newest.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // An equal time with other values is a second change within auth's millisecond: the later arrival wins,
    // as events of one user arrive in the order auth sent them. Equal in every way writes nothing.
    await this.db.query(
      `INSERT INTO billing.known_users AS k (user_id, group_name, status, auth_updated_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) ORDER BY 1
       ON CONFLICT (user_id) DO UPDATE
          SET group_name = excluded.group_name, status = excluded.status,
              auth_updated_at = excluded.auth_updated_at, updated_at = now()
        WHERE k.auth_updated_at < excluded.auth_updated_at
           OR (k.auth_updated_at = excluded.auth_updated_at
               AND (k.group_name, k.status) IS DISTINCT FROM (excluded.group_name, excluded.status))`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.group),
        rows.map((row) => row.status),
        rows.map((row) => row.updatedAt),
      ],
    );
  }

  /** The ids among `userIds` that billing has heard of, in lower case. */
  async knownAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.db.query<Array<{ user_id: string }>>(
      `SELECT user_id FROM billing.known_users WHERE user_id = ANY($1::uuid[])`,
      [userIds],
    );
    return new Set(rows.map((row) => row.user_id));
  }
}
