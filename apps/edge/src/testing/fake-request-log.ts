import type { RequestLogEntryView } from '@tollgate/contracts';
import type { RequestLogPartReader } from '../admin/request-log-parts.js';

export const requestLogEntry = (id: number): RequestLogEntryView => ({
  id: String(id),
  tid: '4bf92f3577b34da6a3ce929d0e0e4736',
  holdId: '0b7f5c0e-8f4a-4d0e-9a53-2f1f5b0d6c11',
  userId: '3f2c1a9e-5b7d-4e21-9c8a-1d2e3f4a5b6c',
  keyId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  model: '=cmd|calc',
  channelId: id % 2 === 0 ? 3 : null,
  httpStatus: 200,
  succeeded: true,
  stream: false,
  latencyMs: 12,
  inputTokens: 10,
  outputTokens: 2,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  images: 0,
  characters: 0,
  audioSeconds: 0,
  costMicros: '1500000',
  createdAt: '2026-12-02T16:06:52.123Z',
});

/**
 * Billing's request log of `total` rows, ids 1 to total, newest (highest id)
 * first; its cursor is the last id of a part. `asked` records every read.
 */
export function fakeRequestLog(total: number) {
  const asked: Array<{ cursor: string | null; limit: number }> = [];
  const read: RequestLogPartReader = (cursor, limit) => {
    asked.push({ cursor, limit });
    const below = cursor === null ? total + 1 : Number(cursor);
    const ids = Array.from({ length: Math.min(limit, below - 1) }, (_, i) => below - 1 - i);
    const last = ids[ids.length - 1];
    return Promise.resolve({
      data: ids.map(requestLogEntry),
      nextCursor: last !== undefined && last > 1 ? String(last) : null,
    });
  };
  return { read, asked };
}
