/**
 * Against the real PostgreSQL at TEST_DATABASE_URL: each test starts
 * "services" on a schema of its own, through openServiceDatabase as a service
 * starts, with one versioned migration and repeatable files written to a
 * temporary folder. Every file records each time it is applied in a table, so
 * the tests count applications rather than trust the runner's word.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Logger } from '@tollgate/observability';
import { applyRepeatableMigrations, REPEATABLE_MIGRATIONS_TABLE } from './repeatable-migrations.js';
import { TEST_DATABASE_SERVER_URL } from '@tollgate/testing';
import { openServiceDatabase } from './service-database.js';

const SERVER_URL = TEST_DATABASE_SERVER_URL;

/** The table every repeatable file of these tests writes to: a versioned migration makes it, so it must run first. */
class CreateApplications1764000000000 implements MigrationInterface {
  name = 'CreateApplications1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE applications (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, file text NOT NULL, version text NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE applications`);
  }
}

function spyLogger() {
  const info = jest.fn();
  const logger = { info, warn: jest.fn(), error: jest.fn(), debug: jest.fn() } as unknown as Logger;
  /** The names each 'repeatable migrations applied' line listed. */
  const applied = () =>
    info.mock.calls
      .filter(([, message]) => message === 'repeatable migrations applied')
      .map(([fields]) => (fields as { repeatableMigrations: string[] }).repeatableMigrations);
  return { logger, applied };
}

describe(applyRepeatableMigrations.name, () => {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  const folder = mkdtempSync(join(tmpdir(), 'tollgate-repeatable-'));
  const schemas: string[] = [];

  beforeAll(async () => {
    await admin.connect();
  });

  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    rmSync(folder, { recursive: true, force: true });
  });

  function newSchema(): string {
    const schema = `repeatable_spec_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return schema;
  }

  /** A repeatable file that defines version() and records that it was applied. */
  function repeatableFile(schema: string, name: string, version: string): URL {
    mkdirSync(join(folder, schema), { recursive: true });
    const path = join(folder, schema, name);
    writeFileSync(
      path,
      `-- ${name}, ${version}
CREATE OR REPLACE FUNCTION "${schema}".version_of_${name.replace(/\W/g, '_')}() RETURNS text
LANGUAGE sql AS $fn$ SELECT '${version}'::text $fn$;
INSERT INTO "${schema}".applications (file, version) VALUES ('${name}', '${version}');
`,
    );
    return pathToFileURL(path);
  }

  /** What a service does at start-up: open the schema, bring it up to date; then it stops. */
  async function start(schema: string, files: URL[], logger = spyLogger().logger): Promise<void> {
    const database = await openServiceDatabase({
      url: SERVER_URL,
      dataDir: folder,
      embeddedPort: 0,
      schema,
      entities: [],
      migrations: [CreateApplications1764000000000],
      repeatableMigrations: files,
      poolSize: 2,
      logger,
    });
    await database.close();
  }

  async function applications(schema: string): Promise<string[]> {
    const { rows } = await admin.query<{ file: string; version: string }>(
      `SELECT file, version FROM "${schema}".applications ORDER BY id`,
    );
    return rows.map((row) => `${row.file} ${row.version}`);
  }

  async function versionOf(schema: string, name: string): Promise<string> {
    const { rows } = await admin.query<{ version: string }>(
      `SELECT "${schema}".version_of_${name.replace(/\W/g, '_')}() AS version`,
    );
    return rows[0].version;
  }

  it('applies new files after the versioned migrations, in the order given, and logs them', async () => {
    const schema = newSchema();
    const spy = spyLogger();

    await start(schema, [repeatableFile(schema, 'b.sql', 'v1'), repeatableFile(schema, 'a.sql', 'v1')], spy.logger);

    expect(await applications(schema)).toEqual(['b.sql v1', 'a.sql v1']);
    expect(await versionOf(schema, 'a.sql')).toBe('v1');
    expect(spy.applied()).toEqual([['b.sql', 'a.sql']]);
    const { rows } = await admin.query<{ name: string }>(
      `SELECT name FROM "${schema}".${REPEATABLE_MIGRATIONS_TABLE} ORDER BY name`,
    );
    expect(rows.map((row) => row.name)).toEqual(['a.sql', 'b.sql']);
  });

  it('skips files whose text has not changed', async () => {
    const schema = newSchema();
    const files = [repeatableFile(schema, 'a.sql', 'v1'), repeatableFile(schema, 'b.sql', 'v1')];
    await start(schema, files);
    const spy = spyLogger();

    await start(schema, files, spy.logger);

    expect(await applications(schema)).toEqual(['a.sql v1', 'b.sql v1']);
    expect(spy.applied()).toEqual([]);
  });

  it('applies a changed file again, and a new one, leaving the others alone', async () => {
    const schema = newSchema();
    await start(schema, [repeatableFile(schema, 'a.sql', 'v1'), repeatableFile(schema, 'b.sql', 'v1')]);
    const spy = spyLogger();

    const files = [
      repeatableFile(schema, 'a.sql', 'v2'),
      repeatableFile(schema, 'b.sql', 'v1'),
      repeatableFile(schema, 'c.sql', 'v1'),
    ];
    await start(schema, files, spy.logger);

    expect(await applications(schema)).toEqual(['a.sql v1', 'b.sql v1', 'a.sql v2', 'c.sql v1']);
    expect(await versionOf(schema, 'a.sql')).toBe('v2');
    expect(spy.applied()).toEqual([['a.sql', 'c.sql']]);
  });

  it('rolls a failing file back whole and fails the start; the next start applies it once it is fixed', async () => {
    const schema = newSchema();
    const good = repeatableFile(schema, 'a.sql', 'v1');
    const broken = repeatableFile(schema, 'b.sql', 'v1');
    writeFileSync(
      broken,
      `INSERT INTO "${schema}".applications (file, version) VALUES ('b.sql', 'broken'); SELECT 1 / 0;`,
    );

    await expect(start(schema, [good, broken])).rejects.toThrow('repeatable migration b.sql failed');
    // a.sql committed in its own transaction before b.sql ran.
    expect(await applications(schema)).toEqual(['a.sql v1']);

    await start(schema, [good, repeatableFile(schema, 'b.sql', 'v1')]);
    expect(await applications(schema)).toEqual(['a.sql v1', 'b.sql v1']);
  });

  it('applies each file once when two services start at the same time', async () => {
    const schema = newSchema();
    const files = [repeatableFile(schema, 'a.sql', 'v1'), repeatableFile(schema, 'b.sql', 'v1')];
    const spies = [spyLogger(), spyLogger()];

    await Promise.all(spies.map((spy) => start(schema, files, spy.logger)));

    expect(await applications(schema)).toEqual(['a.sql v1', 'b.sql v1']);
    expect(spies.flatMap((spy) => spy.applied())).toEqual([['a.sql', 'b.sql']]);
  });
});
