import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueryRunner } from 'typeorm';

/**
 * SQL whose text is the definition that runs (a function's
 * `CREATE OR REPLACE`), applied again whenever the text changes: Flyway's
 * repeatable `R__` scripts. A reader opens one file to see what runs, not the
 * last of several versioned migrations that redefined it.
 */
export interface RepeatableMigration {
  /** The file's name (`reserve-hold.sql`): the key its checksum is recorded under. */
  name: string;
  sql: string;
}

/** The table, in the service's schema, that remembers what text each repeatable migration last applied. */
export const REPEATABLE_MIGRATIONS_TABLE = 'repeatable_migrations';

/** Reads the files, in the order given: the order they apply in. */
export function readRepeatableMigrations(files: readonly URL[]): Promise<RepeatableMigration[]> {
  return Promise.all(
    files.map(async (file) => ({ name: basename(fileURLToPath(file)), sql: await readFile(file, 'utf8') })),
  );
}

export interface ApplyRepeatableMigrationsOptions {
  /**
   * A connected runner, not in a transaction. The caller holds the schema's
   * migration lock on it, so that two replicas starting together cannot both
   * see a file as changed and apply it twice.
   */
  runner: QueryRunner;
  schema: string;
  migrations: readonly RepeatableMigration[];
}

/**
 * Applies, in order, each migration that is new or whose text changed since
 * it was last applied, each in its own transaction together with the record
 * of its checksum: a file that fails is rolled back, not recorded, and tried
 * again at the next start. Returns the names of those applied.
 */
export async function applyRepeatableMigrations({
  runner,
  schema,
  migrations,
}: ApplyRepeatableMigrationsOptions): Promise<string[]> {
  if (migrations.length === 0) return [];
  const table = `"${schema}".${REPEATABLE_MIGRATIONS_TABLE}`;
  await runner.query(`
    CREATE TABLE IF NOT EXISTS ${table} (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const rows = await runner.manager.query<Array<{ name: string; checksum: string }>>(
    `SELECT name, checksum FROM ${table}`,
  );
  const applied = new Map(rows.map((row) => [row.name, row.checksum]));

  const names: string[] = [];
  for (const migration of migrations) {
    const checksum = checksumOf(migration.sql);
    if (applied.get(migration.name) === checksum) continue;
    await runner.startTransaction();
    try {
      // No parameters: sent as a simple query, so a file may hold several statements.
      await runner.query(migration.sql);
      await runner.query(
        `INSERT INTO ${table} (name, checksum) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`,
        [migration.name, checksum],
      );
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction();
      throw new Error(`repeatable migration ${migration.name} failed; nothing of it was applied`, { cause: error });
    }
    names.push(migration.name);
  }
  return names;
}

const checksumOf = (sql: string): string => createHash('sha256').update(sql).digest('hex');
