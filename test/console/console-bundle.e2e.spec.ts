import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Issue 17: the console's JavaScript is at most 300 KB gzipped. In the e2e project because it reads the build. */
const LIMIT_BYTES = 300 * 1024;
const ASSETS = resolve(import.meta.dirname, '../../dist/console/assets');

describe('the built console', () => {
  it('ships at most 300 KB of gzipped JavaScript', () => {
    const scripts = readdirSync(ASSETS).filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.map((name) => gzipSync(readFileSync(join(ASSETS, name)), { level: 9 }).length);
    const total = gzipped.reduce((sum, size) => sum + size, 0);
    expect(total).toBeLessThanOrEqual(LIMIT_BYTES);
  });
});
