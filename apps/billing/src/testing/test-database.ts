import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openServiceDatabase, type ServiceDatabase } from '@tollgate/db';
import { createLogger } from '@tollgate/observability';
import { BILLING_MIGRATIONS, BILLING_REPEATABLE_MIGRATIONS, BILLING_SCHEMA } from '../migrations/billing-migrations.js';

/** The local PostgreSQL the integration specs run against (trust auth). */
const SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh database with a random name for one spec file, migrated like the
 * service migrates its own. Every DataSource opened through it (one per
 * simulated billing replica) is closed, and the database dropped, by `drop`.
 */
export class TestDatabase {
  private readonly opened: ServiceDatabase[] = [];

  private constructor(
    readonly url: string,
    private readonly name: string,
  ) {}

  static async create(): Promise<TestDatabase> {
    const name = `billing_test_${randomBytes(6).toString('hex')}`;
    await admin((client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    return new TestDatabase(url.toString(), name);
  }

  /** One more connection pool, as a separate billing replica would have. */
  async open(poolSize = 8): Promise<DataSource> {
    const database = await openServiceDatabase({
      url: this.url,
      dataDir: '.data',
      embeddedPort: 0,
      schema: BILLING_SCHEMA,
      entities: [],
      migrations: BILLING_MIGRATIONS,
      repeatableMigrations: BILLING_REPEATABLE_MIGRATIONS,
      poolSize,
      logger: createLogger('billing-test', 'silent'),
    });
    this.opened.push(database);
    return database.dataSource;
  }

  async drop(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((database) => database.close()));
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }
}

async function admin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
