import { describe, expect, it } from '@jest/globals';
import { DenialException, DenialReason } from '@tollgate/errors';
import { requestLogFilter } from './request-log-query.js';

describe(requestLogFilter.name, () => {
  it('turns the admin filter into billing’s: ids, status, instants', () => {
    expect(
      requestLogFilter({
        tid: '4bf92f3577b34da6a3ce929d0e0e4736',
        user_id: 'u',
        key_id: 'k',
        model: 'gpt-4o',
        channel_id: 3,
        status: '502',
        from: '2026-12-01',
        to: '2026-12-02T12:00:00+01:00',
      }),
    ).toEqual({
      tid: '4bf92f3577b34da6a3ce929d0e0e4736',
      userId: 'u',
      keyId: 'k',
      model: 'gpt-4o',
      channelId: 3,
      httpStatus: 502,
      succeeded: undefined,
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-02T11:00:00.000Z',
    });
  });

  it.each([
    ['ok', { succeeded: true, httpStatus: undefined }],
    ['failed', { succeeded: false, httpStatus: undefined }],
    ['499', { succeeded: undefined, httpStatus: 499 }],
    [undefined, { succeeded: undefined, httpStatus: undefined }],
  ])('reads status %p as the outcome or the HTTP status', (status, expected) => {
    expect(requestLogFilter({ status })).toMatchObject(expected);
  });

  it('takes an empty range (from = to) and refuses one that ends before it starts, naming to', () => {
    expect(requestLogFilter({ from: '2026-12-01', to: '2026-12-01T00:00:00Z' })).toMatchObject({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });

    let refusal: unknown;
    try {
      requestLogFilter({ from: '2026-12-02', to: '2026-12-01T23:59:59Z' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DenialException);
    expect((refusal as DenialException).denial).toEqual({
      reason: DenialReason.InvalidRequest,
      params: { param: 'to', detail: 'to must not be before from' },
    });
  });
});
