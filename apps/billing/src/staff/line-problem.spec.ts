import { describe, expect, it } from '@jest/globals';
import { BatchRowMessage, compile, LIMITS } from '@tollgate/contracts';
import { lineProblem } from './line-problem.js';

const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

describe('lineProblem', () => {
  const isRowMessage = compile(BatchRowMessage()).is;

  it.each([
    ['keyRepeated', lineProblem.keyRepeated(LIMITS.batchRows - 1)],
    ['keyReused', lineProblem.keyReused(BIGINT_MAX.toString())],
    ['belowZero', lineProblem.belowZero('ffffffff-ffff-4fff-bfff-ffffffffffff', BIGINT_MIN, BIGINT_MIN)],
    [
      'belowZero with grants',
      lineProblem.belowZero('ffffffff-ffff-4fff-bfff-ffffffffffff', BIGINT_MIN, BIGINT_MIN, BIGINT_MAX),
    ],
  ])('%s says it in a row message however large its numbers', (_name, message) => {
    expect([message, isRowMessage(message)]).toEqual([message, true]);
  });
});
