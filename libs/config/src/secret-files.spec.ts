import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startupRefusal } from '@tollgate/testing';
import { commonSettings, databaseSettings, opsSettings } from './common-settings.js';
import { loadConfig, str } from './load-config.js';
import { fromFileToo } from './secret-files.js';

describe(fromFileToo.name, () => {
  let dir: string;
  const settings = { ...commonSettings, ...databaseSettings, ...opsSettings('auth') };
  const secretFile = (contents: string): string => {
    const path = join(dir, `secret-${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, contents);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-secret-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads DATABASE_URL and OPS_METRICS_TOKEN from their _FILE, trimmed', () => {
    const config = loadConfig('svc', settings, {
      DATABASE_URL_FILE: secretFile('postgres://u:p@db:5432/tollgate\n'),
      OPS_METRICS_TOKEN_FILE: secretFile('  token-from-a-file \r\n'),
    });
    expect(config.DATABASE_URL).toBe('postgres://u:p@db:5432/tollgate');
    expect(config.OPS_METRICS_TOKEN).toBe('token-from-a-file');
  });

  it('still takes the variable itself, and treats an empty one as unset', () => {
    expect(loadConfig('svc', settings, { DATABASE_URL: 'postgres://direct' }).DATABASE_URL).toBe('postgres://direct');
    const config = loadConfig('svc', settings, { DATABASE_URL: '', DATABASE_URL_FILE: secretFile('postgres://f') });
    expect(config.DATABASE_URL).toBe('postgres://f');
  });

  it('refuses to start when both the variable and its _FILE are set, naming both', () => {
    const message = startupRefusal(() =>
      loadConfig('svc', settings, { DATABASE_URL: 'postgres://a', DATABASE_URL_FILE: secretFile('postgres://b') }),
    );
    expect(message).toContain('both DATABASE_URL and DATABASE_URL_FILE are set');
    expect(message).not.toContain('postgres://');
  });

  it('refuses to start on a file that cannot be read, naming the variable and the path', () => {
    const missing = join(dir, 'no-such-secret');
    const message = startupRefusal(() => loadConfig('svc', settings, { OPS_METRICS_TOKEN_FILE: missing }));
    expect(message).toContain(`OPS_METRICS_TOKEN: OPS_METRICS_TOKEN_FILE=${missing} cannot be read (ENOENT)`);
  });

  it('refuses a directory and an empty file: a secret never filled in is not the default', () => {
    expect(startupRefusal(() => loadConfig('svc', settings, { DATABASE_URL_FILE: dir }))).toContain(
      `DATABASE_URL_FILE=${dir} cannot be read (EISDIR)`,
    );
    const empty = secretFile(' \n');
    expect(startupRefusal(() => loadConfig('svc', settings, { DATABASE_URL_FILE: empty }))).toContain(
      `DATABASE_URL_FILE=${empty} is empty`,
    );
  });

  it('reports a secret file problem together with the other bad settings', () => {
    const message = startupRefusal(() =>
      loadConfig('svc', settings, { DATABASE_URL_FILE: join(dir, 'absent'), DATABASE_POOL_SIZE: '0' }),
    );
    expect(message).toContain('DATABASE_URL: DATABASE_URL_FILE=');
    expect(message).toContain('DATABASE_POOL_SIZE: must be');
  });

  it('validates a value read from a file as it validates the variable', () => {
    const specs = { SECRET_PORT: fromFileToo(str({ choices: ['a', 'b'] })) };
    expect(loadConfig('svc', specs, { SECRET_PORT_FILE: secretFile('b\n') }).SECRET_PORT).toBe('b');
    expect(startupRefusal(() => loadConfig('svc', specs, { SECRET_PORT_FILE: secretFile('c') }))).toContain(
      'SECRET_PORT',
    );
  });

  it('reads no _FILE for a setting not marked as a secret', () => {
    const config = loadConfig('svc', settings, { LOG_LEVEL_FILE: secretFile('debug') });
    expect(config.LOG_LEVEL).toBe('info');
  });
});
