import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceLog, summarise } from './service-log.js';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ time: '2026-12-02T16:25:00.513Z', service: 'edge', pid: 1, ...fields });

describe(summarise.name, () => {
  it('shows a warning as time, service, level, message and tid', () => {
    expect(summarise(line({ level: 40, tid: 'b952708f', msg: 'stream cut short at the shutdown deadline' }))).toBe(
      '16:25:00 edge WARN stream cut short at the shutdown deadline tid=b952708f',
    );
  });

  it("adds an error's message", () => {
    expect(summarise(line({ level: 50, msg: 'settlement failed', err: { message: 'connection closed' } }))).toBe(
      '16:25:00 edge ERROR settlement failed (connection closed)',
    );
  });

  it.each([
    ['an info line', line({ level: 30, msg: 'edge listening' })],
    ['a line that is not JSON', 'fake-provider listening on http://127.0.0.1:9090'],
    ['JSON that is not a log line', '42'],
  ])('shows nothing for %s', (_what, text) => {
    expect(summarise(text)).toBeNull();
  });
});

describe(ServiceLog.name, () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends to <dir>/<name>.log, readable by its owner only, and hands on whole lines', () => {
    dir = mkdtempSync(join(tmpdir(), 'service-log-'));
    const seen: string[] = [];
    const first = new ServiceLog(join(dir, 'logs'), 'auth', (text) => seen.push(text));
    first.write(Buffer.from('one\ntw'));
    first.write('o\nthree\n');
    first.close();
    const second = new ServiceLog(join(dir, 'logs'), 'auth');
    second.write('four\n');

    expect(seen).toEqual(['one', 'two', 'three']);
    expect(readFileSync(second.path, 'utf8')).toBe('one\ntwo\nthree\nfour\n');
    expect(second.tail(2)).toEqual(['three', 'four']);
    expect(statSync(second.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'logs')).mode & 0o777).toBe(0o700);
    second.close();
  });
});
