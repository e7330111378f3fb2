import { describe, expect, it } from '@jest/globals';
import { decodeRequestLogCursor, encodeRequestLogCursor } from './request-log-cursor.js';

describe('request log cursor', () => {
  it('names the same position it was made from, to the microsecond', () => {
    const position = { createdAt: '2026-12-02T16:06:52.123456Z', id: '9007199254740993' };

    const cursor = encodeRequestLogCursor(position);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeRequestLogCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64 of a position', 'aGVsbG8'],
    ['milliseconds only', Buffer.from('2026-12-02T16:06:52.123Z 5').toString('base64url')],
    ['no id', Buffer.from('2026-12-02T16:06:52.123456Z ').toString('base64url')],
    ['an id longer than a bigint', Buffer.from(`2026-12-02T16:06:52.123456Z ${'9'.repeat(20)}`).toString('base64url')],
    ['a month that does not exist', Buffer.from('2026-13-02T16:06:52.123456Z 5').toString('base64url')],
    ['30 February', Buffer.from('2026-02-30T16:06:52.123456Z 5').toString('base64url')],
    ['an empty text', ''],
  ])('refuses %s', (_case, cursor) => {
    expect(decodeRequestLogCursor(cursor)).toBeNull();
  });
});
