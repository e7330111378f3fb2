import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Logger } from '@tollgate/observability';
import {
  decodeSecretKey,
  describeSecretKeyProblem,
  resolveChannelSecretKey,
  SECRET_KEY_FILE,
} from './channel-secret-key.js';

describe(resolveChannelSecretKey.name, () => {
  let dataDir: string;
  let warn: jest.Mock;
  let logger: Logger;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tollgate-router-key-'));
    warn = jest.fn();
    logger = { warn } as unknown as Logger;
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uses CHANNEL_SECRET_KEY when set, as base64 or hex, and writes no file', async () => {
    const key = randomBytes(32);
    await expect(resolveChannelSecretKey({ configured: key.toString('base64'), dataDir, logger })).resolves.toEqual(
      key,
    );
    await expect(resolveChannelSecretKey({ configured: key.toString('hex'), dataDir, logger })).resolves.toEqual(key);
    await expect(stat(join(dataDir, SECRET_KEY_FILE))).rejects.toThrow();
  });

  it('generates a key on first start into <DATA_DIR>/channel-secret-key, mode 0600, and reuses it', async () => {
    const sut = () => resolveChannelSecretKey({ configured: '', dataDir, logger });
    const first = await sut();
    const file = join(dataDir, SECRET_KEY_FILE);
    expect(first).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(decodeSecretKey(await readFile(file, 'utf8'))).toEqual(first);

    // The log names the file and never the key.
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(warn.mock.calls)).toContain(file);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(first.toString('base64'));

    await expect(sut()).resolves.toEqual(first);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('refuses a key file that does not hold a key', async () => {
    await writeFile(join(dataDir, SECRET_KEY_FILE), 'not a key\n');
    await expect(resolveChannelSecretKey({ configured: '', dataDir, logger })).rejects.toThrow(
      'valid channel secret key',
    );
  });
});

describe(describeSecretKeyProblem.name, () => {
  it.each([
    ['', true],
    [randomBytes(32).toString('base64'), true],
    [randomBytes(32).toString('base64url'), true],
    [randomBytes(32).toString('hex'), true],
    [randomBytes(16).toString('base64'), false],
    [randomBytes(31).toString('hex') + 'zz', false],
    ['correct horse battery staple', false],
  ])('%p acceptable: %p', (value, acceptable) => {
    const problem = describeSecretKeyProblem(value);
    expect(problem === null).toBe(acceptable);
    if (problem) expect(problem).not.toContain(value);
  });
});
