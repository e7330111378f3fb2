import { describe, expect, it } from '@jest/globals';
import { LIMITS, type BatchAdjustRow } from '@tollgate/contracts';
import { batchParts } from './batch-parts.js';

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** A row as long as the contracts let it be: the longest reason of control characters, the longest key of €. */
const longest = (index: number): BatchAdjustRow => ({
  userId: '0b5f2a52-4a8e-4b8f-9c57-2f2d5a3c1e7d',
  amountMicros: `-${'9'.repeat(18)}`,
  reason: '\u0001'.repeat(LIMITS.reasonLength),
  idempotencyKey: `${index}-`.padEnd(LIMITS.idempotencyKeyLength, '\u20ac'),
});

describe(batchParts.name, () => {
  it('keeps a batch of short rows in one part', () => {
    const rows = Array.from({ length: LIMITS.batchRows }, (_, index) => ({
      ...longest(index),
      reason: 'monthly credit',
      idempotencyKey: `credit-${index}`,
    }));

    expect(batchParts(rows).map((part) => [part.offset, part.rows.length])).toEqual([[0, LIMITS.batchRows]]);
  });

  it(`splits the largest allowed batch into parts of at most ${LIMITS.batchPartBytes} bytes, in order`, () => {
    const rows = Array.from({ length: LIMITS.batchRows }, (_, index) => longest(index));

    const parts = batchParts(rows);

    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((part) => jsonBytes(part.rows) <= LIMITS.batchPartBytes)).toBe(true);
    expect(parts.flatMap((part) => part.rows)).toEqual(rows);
    expect(parts.map((part) => part.offset)).toEqual(
      parts.map((_, index) => parts.slice(0, index).reduce((sum, part) => sum + part.rows.length, 0)),
    );
  });

  it('splits at exactly the byte limit, and refuses a row that no part could hold', () => {
    const row = { text: 'x'.repeat(8) };
    const size = jsonBytes(row) + 1;

    expect(batchParts([row, row, row], 2 + 2 * size).map((part) => part.rows.length)).toEqual([2, 1]);
    expect(() => batchParts([row], size)).toThrow('more than a part holds');
    expect(batchParts([])).toEqual([]);
  });
});
