import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@tollgate/config';
import { AuthSubjects } from '@tollgate/contracts';
import { createLogger } from '@tollgate/observability';
import { TestDatabase } from '@tollgate/testing';
import { authSettings } from '../auth.config.js';
import { ApiKeyEntity } from '../keys/api-key.entity.js';
import { hashKey } from '../keys/key-material.js';
import { CreateAuthSchema1764300000000 } from '../migrations/1764300000000-create-auth-schema.js';
import { UserEntity } from '../users/user.entity.js';
import { RootBootstrapService } from './root-bootstrap.service.js';

const KEY_PATTERN = /sk-[A-Za-z0-9]{48}/;

describe(RootBootstrapService.name, () => {
  let database: TestDatabase;
  let db: DataSource;
  let dataDir: string;
  /** Every line the service logged, and everything it wrote to stdout itself. */
  let logLines: string[];
  let stdoutWrites: string[];
  /** What bootstrap broadcast, as [subject, payload]. */
  let broadcasts: Array<[string, unknown]>;
  const wasTty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');

  beforeAll(async () => {
    database = await TestDatabase.create('auth_test');
    db = await database.open({
      schema: 'auth',
      entities: [UserEntity, ApiKeyEntity],
      migrations: [CreateAuthSchema1764300000000],
      poolSize: 2,
    });
  });

  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(async () => {
    await db.query('DELETE FROM api_keys');
    await db.query('DELETE FROM users');
    dataDir = mkdtempSync(join(tmpdir(), 'tollgate-root-key-'));
    logLines = [];
    stdoutWrites = [];
    broadcasts = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdoutWrites.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    if (wasTty) Object.defineProperty(process.stdout, 'isTTY', wasTty);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
    rmSync(dataDir, { recursive: true, force: true });
  });

  function bootstrap({ tty, env = {} }: { tty: boolean; env?: Record<string, string> }): Promise<void> {
    Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true });
    const config = loadConfig('auth', authSettings, { DATA_DIR: dataDir, ...env });
    // The service's real logger, its lines captured instead of written to the terminal.
    const logger = createLogger('auth-test', 'trace', {
      hooks: {
        streamWrite: (line) => {
          logLines.push(line);
          return '';
        },
      },
    });
    const bus = { broadcast: (target: { name: string }, payload: unknown) => broadcasts.push([target.name, payload]) };
    return new RootBootstrapService(db, config, logger, bus).onApplicationBootstrap();
  }

  const keyFile = () => join(dataDir, 'root-key');
  const keyInFile = () => readFileSync(keyFile(), 'utf8').trim();

  it('without a terminal: writes the key to a 0600 file, logs only its path, and shows the key nowhere', async () => {
    await bootstrap({ tty: false });

    const key = keyInFile();
    expect(key).toMatch(KEY_PATTERN);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(logLines.some((line) => line.includes(keyFile()))).toBe(true);
    for (const line of [...logLines, ...stdoutWrites]) {
      expect(line).not.toContain(key);
      expect(line).not.toMatch(KEY_PATTERN);
    }
  });

  it('on a terminal: shows the key there, still outside every log line', async () => {
    await bootstrap({ tty: true });

    const key = keyInFile();
    expect(stdoutWrites.join('')).toContain(key);
    for (const line of logLines) expect(line).not.toContain(key);
  });

  it('makes a key file left behind with wider permissions 0600 again', async () => {
    writeFileSync(keyFile(), 'stale\n', { mode: 0o644 });

    await bootstrap({ tty: false });

    expect(keyInFile()).toMatch(KEY_PATTERN);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
  });

  it('refuses to create the root when the key file cannot be written, and creates it on the next start that can', async () => {
    // A DATA_DIR below a regular file: not writable even by root, who ignores permission bits.
    const blocker = join(dataDir, 'not-a-directory');
    writeFileSync(blocker, '');
    const unwritable = join(blocker, 'data');

    await expect(bootstrap({ tty: false, env: { DATA_DIR: unwritable } })).rejects.toThrow(
      `cannot write the root key into DATA_DIR=${unwritable} (ENOTDIR); no root user was created`,
    );
    expect(await db.query('SELECT id FROM users')).toEqual([]);
    expect(await db.query('SELECT id FROM api_keys')).toEqual([]);
    expect(broadcasts).toEqual([]);

    await bootstrap({ tty: false });
    const [{ key_hash }] = await db.query<[{ key_hash: string }]>('SELECT key_hash FROM api_keys');
    expect(key_hash).toBe(hashKey(keyInFile()));
  });

  it('needs no writable DATA_DIR for a key from TOLLGATE_ROOT_KEY', async () => {
    const blocker = join(dataDir, 'not-a-directory');
    writeFileSync(blocker, '');

    await bootstrap({
      tty: false,
      env: { DATA_DIR: join(blocker, 'data'), TOLLGATE_ROOT_KEY: `sk-${'b2'.repeat(24)}` },
    });

    expect(await db.query('SELECT name FROM users')).toEqual([{ name: 'root' }]);
  });

  it('writes no file and shows nothing for a key from TOLLGATE_ROOT_KEY, and creates one root only once', async () => {
    const configured = `sk-${'a1'.repeat(24)}`;
    await bootstrap({ tty: true, env: { TOLLGATE_ROOT_KEY: configured } });
    await bootstrap({ tty: true });

    expect(() => statSync(keyFile())).toThrow();
    for (const line of [...logLines, ...stdoutWrites]) expect(line).not.toContain(configured);
    expect(await db.query('SELECT name FROM users')).toEqual([{ name: 'root' }]);
  });

  it('announces the root it created, once, as every created user is announced', async () => {
    await bootstrap({ tty: false });
    await bootstrap({ tty: false });

    const [root] = await db.query<[{ id: string }]>('SELECT id FROM users');
    expect(broadcasts).toEqual([
      [
        AuthSubjects.userCreated.name,
        { id: root.id, group: 'default', status: 'active', updatedAt: expect.stringMatching(/^\d{4}-/) },
      ],
    ]);
  });
});
