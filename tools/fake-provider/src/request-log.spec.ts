import { describe, expect, it } from '@jest/globals';
import { RequestLog, type RecordedRequest } from './request-log.js';

const request = (n: number): RecordedRequest => ({
  method: 'POST',
  path: `/${n}`,
  query: {},
  dialect: 'openai',
  auth: null,
  headers: {},
  body: { n },
  receivedAt: n,
});

describe('RequestLog', () => {
  it('keeps the most recent entries, oldest first, across wrap-arounds', () => {
    const log = new RequestLog(3);
    for (let n = 1; n <= 7; n++) log.push(request(n));
    expect(log.snapshot().map((entry) => entry.path)).toEqual(['/5', '/6', '/7']);
  });

  it('returns copies and can be cleared', () => {
    const log = new RequestLog(2);
    log.push(request(1));
    const before = log.snapshot();
    log.push(request(2));
    expect(before).toHaveLength(1);
    log.clear();
    expect(log.snapshot()).toEqual([]);
    log.push(request(3));
    expect(log.snapshot().map((entry) => entry.path)).toEqual(['/3']);
  });

  it('records nothing with capacity 0', () => {
    const log = new RequestLog(0);
    log.push(request(1));
    expect(log.snapshot()).toEqual([]);
  });
});
