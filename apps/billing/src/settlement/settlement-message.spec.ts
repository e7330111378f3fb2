import { describe, expect, it } from '@jest/globals';
import type { Settlement } from '@tollgate/contracts';
import { parseSettlementMessage } from './settlement-message.js';

const settlement: Settlement = {
  holdId: '0b7f5c0e-8f4a-4d0e-9a53-2f1f5b0d6c11',
  tid: '4bf92f3577b34da6a3ce929d0e0e4736',
  userId: 'u',
  keyId: 'k',
  model: 'm',
  channelId: 3,
  succeeded: true,
  usage: {
    inputTokens: 10,
    outputTokens: 2,
    cachedInputTokens: 4,
    cacheWriteTokens: 1,
    reasoningTokens: 1,
    images: 0,
    characters: 0,
  },
  httpStatus: 200,
  latencyMs: 12,
  stream: false,
};

describe(parseSettlementMessage.name, () => {
  it('reads a batch, keeping the settlements and naming the entries that are not', () => {
    expect(parseSettlementMessage({ settlements: [settlement, { holdId: 'x' }, settlement] })).toEqual({
      settlements: [settlement, settlement],
      rejected: ['settlements[1]: tid is required'],
    });
  });

  it('reads a single settlement as a batch of one', () => {
    expect(parseSettlementMessage(settlement)).toEqual({ settlements: [settlement], rejected: [] });
  });

  it('names what is wrong with an entry, and keeps latency in whole milliseconds', () => {
    expect(parseSettlementMessage({ ...settlement, holdId: 'x' })).toEqual({ error: 'holdId must be a UUID' });
    expect(parseSettlementMessage({ ...settlement, usage: { ...settlement.usage, images: -1 } })).toEqual({
      error: 'usage.images must be at least 0',
    });
    expect(parseSettlementMessage({ ...settlement, latencyMs: 12.6 })).toEqual({
      settlements: [{ ...settlement, latencyMs: 13 }],
      rejected: [],
    });
  });

  it('reads a settlement from an edge before the token parts, and checks the parts when they come', () => {
    const fromOlderEdge = { ...settlement, usage: { inputTokens: 10, outputTokens: 2, images: 0, characters: 0 } };

    expect(parseSettlementMessage({ settlements: [fromOlderEdge] })).toEqual({
      settlements: [fromOlderEdge],
      rejected: [],
    });
    expect(parseSettlementMessage({ ...settlement, usage: { ...settlement.usage, cacheWriteTokens: 1.5 } })).toEqual({
      error: 'usage.cacheWriteTokens must be an integer',
    });
  });

  it('refuses a message holding no settlement at all', () => {
    expect(parseSettlementMessage({ settlements: [] })).toEqual({ error: 'settlements is empty' });
    expect(parseSettlementMessage({ settlements: [{ holdId: 'x' }] })).toEqual({
      error: 'settlements[0]: tid is required',
    });
    expect(parseSettlementMessage('nope')).toEqual({ error: 'body must be an object' });
  });
});
