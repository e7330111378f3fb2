import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isOurPostgres } from './embedded-postgres.js';

/** A postmaster.pid as PostgreSQL writes it: pid, data directory, start time, port, socket directory, address… */
const pidFile = (pid: number, port: number, dir: string) =>
  `${pid}\n${dir}\n1796229784\n${port}\n/tmp\n127.0.0.1\n  2148349     32825\nready   \n`;

describe(isOurPostgres.name, () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is ours when the data directory names a live postmaster on this port', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pg-'));
    writeFileSync(join(dir, 'postmaster.pid'), pidFile(process.pid, 54329, dir));
    expect(await isOurPostgres(dir, 54329)).toBe(true);
  });

  it('is not ours on another port', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pg-'));
    writeFileSync(join(dir, 'postmaster.pid'), pidFile(process.pid, 54329, dir));
    expect(await isOurPostgres(dir, 54330)).toBe(false);
  });

  it('is not ours when the postmaster named has exited (a stale file)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pg-'));
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dir, 'postmaster.pid'), pidFile(exited, 54329, dir));
    expect(await isOurPostgres(dir, 54329)).toBe(false);
  });

  it('is not ours when our PostgreSQL is not running (no postmaster.pid)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pg-'));
    expect(await isOurPostgres(dir, 54329)).toBe(false);
  });
});
