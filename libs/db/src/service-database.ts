import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import type { Logger } from '@tollgate/observability';
import { ensureEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import { unreachableDatabase } from './unreachable-database.js';
import { applyRepeatableMigrations, readRepeatableMigrations } from './repeatable-migrations.js';

export interface ServiceDatabaseOptions {
  /** The PostgreSQL URL; empty = the embedded default under dataDir. */
  url: string;
  dataDir: string;
  embeddedPort: number;
  /** The schema this service owns; no other service reads it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /**
   * SQL files applied after `migrations`, in this order, whenever their text
   * changed: the live definitions of the schema's functions (see
   * repeatable-migrations.ts). None by default.
   */
  repeatableMigrations?: readonly URL[];
  poolSize: number;
  logger: Logger;
}

export interface ServiceDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * Opens the service's own schema and brings it up to date. Migrations, the
 * versioned ones and then the repeatable ones, run under a PostgreSQL
 * advisory lock, so replicas starting together do not race to apply the same
 * migration.
 */
export async function openServiceDatabase(options: ServiceDatabaseOptions): Promise<ServiceDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = options.url;
  if (!url) {
    embedded = await ensureEmbeddedPostgres(options.dataDir, options.embeddedPort, options.logger);
    url = embedded.url;
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    poolSize: options.poolSize,
    // Raw SQL (the hot paths use it) resolves unqualified names in the service's own schema.
    extra: { application_name: `tollgate-${options.schema}`, options: `-c search_path=${options.schema}` },
  });
  const close = async () => {
    await dataSource.destroy();
    await embedded?.stop();
  };
  await dataSource.initialize().catch((error: unknown) => {
    const setting = options.url ? 'DATABASE_URL' : 'the embedded PostgreSQL (EMBEDDED_PG_PORT)';
    throw unreachableDatabase(error, url, setting) ?? error;
  });
  try {
    await migrate({
      dataSource,
      schema: options.schema,
      repeatableMigrations: options.repeatableMigrations ?? [],
      logger: options.logger,
    });
  } catch (error) {
    // A start that fails leaves no pool (or embedded server) behind.
    await close();
    throw error;
  }
  return { dataSource, close };
}

export interface MigrateOptions {
  dataSource: DataSource;
  schema: string;
  repeatableMigrations: readonly URL[];
  logger: Logger;
}

/**
 * Creates the schema if needed, applies pending versioned migrations, then
 * the repeatable migrations whose text changed, one replica at a time.
 */
export async function migrate({ dataSource, schema, repeatableMigrations, logger }: MigrateOptions): Promise<void> {
  const repeatables = await readRepeatableMigrations(repeatableMigrations);
  const lock = `tollgate-migrations-${schema}`;
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) logger.info({ schema, migrations: applied.map((m) => m.name) }, 'migrations applied');
      const reapplied = await applyRepeatableMigrations({ runner, schema, migrations: repeatables });
      if (reapplied.length > 0)
        logger.info({ schema, repeatableMigrations: reapplied }, 'repeatable migrations applied');
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
    }
  } finally {
    await runner.release();
  }
}
