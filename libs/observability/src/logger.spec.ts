import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger } from './logger.js';

/** A logger writing its JSON lines into an array. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('spec', 'info', {}, stream) };
}

describe(createLogger.name, () => {
  it("never logs a failed query's parameters, only the statement and the error", () => {
    const { lines, logger } = capture();
    const failure = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      query: 'SELECT billing.reserve_holds($1)',
      parameters: ['{"idempotencyKey":"secret-key"}'],
      driverError: Object.assign(new Error('invalid byte sequence'), { code: '22021', parameters: ['secret-key'] }),
    });
    logger.error({ err: failure }, 'handler failed');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('secret-key');
    expect(lines[0]).toMatchObject({ err: { query: 'SELECT billing.reserve_holds($1)', parameters: '[redacted]' } });
  });

  it('redacts keys wherever a careless call puts them', () => {
    const { lines, logger } = capture();
    logger.info({ headers: { authorization: 'Bearer sk-secret' }, channel: { apiKey: 'sk-up' } }, 'x');
    expect(JSON.stringify(lines)).not.toMatch(/sk-secret|sk-up/);
  });
});
