import { describe, expect, it } from '@jest/globals';
import { parseBatchFile, readBatchFile } from './batch-file.js';
import { UsageError } from './cli-errors.js';

const A = '0b5f2a52-4a8e-4b8f-9c57-2f2d5a3c1e7d';
const B = '6a1c3e9d-2b7f-4c1a-8d3e-5f6a7b8c9d0e';

const problemsOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a UsageError');
};

describe(parseBatchFile.name, () => {
  it('reads CSV with the documented header, quoted fields and a byte-order mark', () => {
    const csv = `\uFEFFuser_id,amount,reason,idempotency_key\r\n${A},12.50,"credit, as agreed",k1\r\n\r\n${B},-2,refund,k2\r\n`;
    expect(parseBatchFile('credits.csv', csv)).toEqual([
      { user_id: A, amount: '12.50', reason: 'credit, as agreed', idempotency_key: 'k1' },
      { user_id: B, amount: '-2', reason: 'refund', idempotency_key: 'k2' },
    ]);
  });

  it('takes the columns in any order', () => {
    const csv = `idempotency_key,reason,amount,user_id\nk1,why,1,${A}\n`;
    expect(parseBatchFile('x.csv', csv)).toEqual([{ user_id: A, amount: '1', reason: 'why', idempotency_key: 'k1' }]);
  });

  it('reads a JSON array of row objects, by extension or by content', () => {
    const rows = [{ user_id: A, amount: '-0.5', reason: 'fix', idempotency_key: 'k1' }];
    expect(parseBatchFile('rows.json', JSON.stringify(rows))).toEqual(rows);
    expect(parseBatchFile('rows.txt', `  ${JSON.stringify(rows)}`)).toEqual(rows);
  });

  it('refuses a CSV whose header is missing or misspelt a column', () => {
    expect(problemsOf(() => parseBatchFile('x.csv', `user,amount,reason,idempotency_key\n${A},1,r,k\n`))).toMatch(
      /must start with the header user_id,amount,reason,idempotency_key; missing: user_id; unknown: user/,
    );
  });

  it('refuses CSV that cannot be parsed', () => {
    expect(
      problemsOf(() => parseBatchFile('x.csv', `user_id,amount,reason,idempotency_key\n${A},1,"open,k\n`)),
    ).toMatch(/x.csv is not valid CSV: Quote Not Closed/);
    expect(
      problemsOf(() => parseBatchFile('x.csv', `user_id,amount,reason,idempotency_key\n${A},1,r,k,extra\n`)),
    ).toMatch(/not valid CSV/);
  });

  it('refuses invalid JSON and JSON that is not an array', () => {
    expect(problemsOf(() => parseBatchFile('x.json', '[{'))).toMatch(/x.json is not valid JSON/);
    expect(problemsOf(() => parseBatchFile('x.json', '{"rows": []}'))).toMatch(/must hold a JSON array/);
  });

  it('refuses an empty batch', () => {
    expect(problemsOf(() => parseBatchFile('x.csv', 'user_id,amount,reason,idempotency_key\n'))).toMatch(/has no rows/);
    expect(problemsOf(() => parseBatchFile('x.csv', ''))).toMatch(/is empty/);
    expect(problemsOf(() => parseBatchFile('x.json', '[]'))).toMatch(/has no rows/);
  });

  it('reports every bad row at once, by line, before anything is sent', () => {
    const csv = [
      'user_id,amount,reason,idempotency_key',
      `${A},12.1234567,ok,k1`,
      `not-a-user,1,ok,k2`,
      `${B},0,,k3`,
      `${A},1,ok,`,
      `${B},1,ok,k1`,
    ].join('\n');
    const message = problemsOf(() => parseBatchFile('bad.csv', csv));
    expect(message).toMatch(/^batch file bad.csv has 6 problem\(s\); nothing was sent:/);
    expect(message).toContain('line 2: amount "12.1234567" is not a decimal amount with at most 6 decimals');
    expect(message).toContain('line 3: user_id must be a UUID');
    expect(message).toContain('line 4: amount must not be zero');
    expect(message).toContain('line 4: reason (why the balance changes; it is kept in the ledger) is required');
    expect(message).toContain('line 5: idempotency_key is required');
    expect(message).toContain('line 6: idempotency_key "k1" is also used on line 2');
  });

  it('refuses JSON numbers for money, which are not exact', () => {
    const rows = [{ user_id: A, amount: 0.1, reason: 'r', idempotency_key: 'k' }];
    const message = problemsOf(() => parseBatchFile('x.json', JSON.stringify(rows)));
    expect(message).toMatch(/has 1 problem\(s\)/);
    expect(message).toContain('row 1: amount must be a string such as "12.50"');
  });
});

describe(readBatchFile.name, () => {
  it('says when the file does not exist', () => {
    expect(problemsOf(() => readBatchFile('/nonexistent/credits.csv'))).toBe(
      'batch file /nonexistent/credits.csv does not exist',
    );
  });

  it('says when the path is a directory', () => {
    expect(problemsOf(() => readBatchFile(import.meta.dirname))).toMatch(/is a directory/);
  });
});
