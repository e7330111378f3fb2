import { describe, expect, it } from '@jest/globals';
import { fakeRequestLog } from '../testing/fake-request-log.js';
import { readRequestLogPage } from './request-log-parts.js';

describe(readRequestLogPage.name, () => {
  it('reads a page of 500 in parts of 200, and continues after its last row', async () => {
    const log = fakeRequestLog(1_200);

    const page = await readRequestLogPage(log.read, { cursor: null, limit: 500 });

    expect(page.data.map((row) => row.id)).toEqual(Array.from({ length: 500 }, (_, i) => String(1_200 - i)));
    expect(page.nextCursor).toBe('701');
    expect(log.asked).toEqual([
      { cursor: null, limit: 200 },
      { cursor: '1001', limit: 200 },
      { cursor: '801', limit: 100 },
    ]);
  });

  it('reads a small page in one part, and stops at the last row with no cursor', async () => {
    const small = fakeRequestLog(1_200);
    const end = fakeRequestLog(1_200);

    const first = await readRequestLogPage(small.read, { cursor: null, limit: 50 });
    const last = await readRequestLogPage(end.read, { cursor: '301', limit: 500 });

    expect([first.data.length, first.nextCursor, small.asked.length]).toEqual([50, '1151', 1]);
    expect([last.data.length, last.nextCursor, end.asked.length]).toEqual([300, null, 2]);
  });

  it('answers an empty page when nothing matches', async () => {
    expect(await readRequestLogPage(fakeRequestLog(0).read, { cursor: null, limit: 50 })).toEqual({
      data: [],
      nextCursor: null,
    });
  });
});
