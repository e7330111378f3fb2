import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openServiceDatabase, type ServiceDatabase, type ServiceDatabaseOptions } from '@tollgate/db';
import { createLogger } from '@tollgate/observability';

/** The PostgreSQL server tests create their databases on; `TEST_DATABASE_URL` names another. */
export const TEST_DATABASE_SERVER_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** What a service opens: its schema, with its entities and migrations. */
export type ServiceSchema = Pick<ServiceDatabaseOptions, 'schema' | 'entities' | 'migrations' | 'repeatableMigrations'>;

/**
 * A fresh database with a unique name on the test server, for one spec file
 * or one e2e suite, so that files running in parallel never share a table.
 * `open` migrates it as the service does at start-up; `drop` closes every
 * pool it opened and drops the database.
 */
export class TestDatabase {
  private readonly opened: ServiceDatabase[] = [];

  private constructor(
    readonly url: string,
    readonly name: string,
  ) {}

  /** `prefix` says whose database it is when one is left behind (a killed run). */
  static async create(prefix: string): Promise<TestDatabase> {
    const name = `${prefix}_${randomBytes(6).toString('hex')}`;
    await onServer(`CREATE DATABASE ${name}`);
    const url = Object.assign(new URL(TEST_DATABASE_SERVER_URL), { pathname: `/${name}` }).toString();
    return new TestDatabase(url, name);
  }

  /** One more connection pool on the service's schema, as one more replica of it would have. */
  async open(service: ServiceSchema & { poolSize?: number }): Promise<DataSource> {
    const database = await openServiceDatabase({
      ...service,
      url: this.url,
      // Never used: the URL is set, so no embedded server is started.
      dataDir: '.data',
      embeddedPort: 0,
      poolSize: service.poolSize ?? 8,
      logger: createLogger(`${service.schema}-test`, 'silent'),
    });
    this.opened.push(database);
    return database.dataSource;
  }

  async drop(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((database) => database.close()));
    await onServer(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
