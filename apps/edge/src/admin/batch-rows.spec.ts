import { describe, expect, it } from '@jest/globals';
import { LIMITS } from '@tollgate/contracts';
import { batchRowsOf } from './batch-rows.js';

const user = '0b5f2a52-4a8e-4b8f-9c57-2f2d5a3c1e7d';
const header = 'user_id,amount,reason,idempotency_key';

/** The 400's param and detail, or null when the rows were accepted. */
function refusal(body: Parameters<typeof batchRowsOf>[0]): { param?: string; detail?: string } | null {
  try {
    batchRowsOf(body);
    return null;
  } catch (error) {
    return (error as { denial: { params: { param?: string; detail?: string } } }).denial.params;
  }
}

describe(batchRowsOf.name, () => {
  it('takes rows as sent, or CSV lines checked against the same row schema', () => {
    const row = { user_id: user, amount: '-2.5', reason: 'refund', idempotency_key: 'k1' };
    expect(batchRowsOf({ rows: [row] })).toEqual([row]);
    expect(batchRowsOf({ csv: `${header}\n${user},-2.5,refund,k1\n` })).toEqual([row]);
  });

  it.each([
    [{}, 'rows', 'rows is required (or send csv)'],
    [{ rows: [], csv: header }, 'csv', 'send rows or csv, not both'],
    [{ csv: header }, 'csv', 'csv has no rows'],
    [{ csv: 'user,amount\nx,1' }, 'csv', expect.stringContaining('(user_id is missing)')],
    [{ csv: `${header}\n"unclosed,1,r,k` }, 'csv', expect.stringContaining('csv could not be parsed')],
    [{ csv: `${header}\n${user},1,r,k1\nnot-a-uuid,1,r,k2` }, 'csv', expect.stringMatching(/^line 3: user_id/)],
    [{ csv: `${header}\n${user},0,r,k1` }, 'csv', expect.stringMatching(/^line 2: amount/)],
  ])('refuses %j naming %s', (body, param, detail) => {
    expect(refusal(body)).toEqual({ param, detail });
  });

  it('refuses more CSV lines than the one batch limit', () => {
    const lines = Array.from({ length: LIMITS.batchRows + 1 }, (_, i) => `${user},1,r,k${i}`);
    expect(refusal({ csv: [header, ...lines].join('\n') })).toEqual({
      param: 'csv',
      detail: `csv must have at most ${LIMITS.batchRows} rows`,
    });
  });
});
