import { describe, expect, it } from '@jest/globals';
import { FakeSettlementPublisher } from '../testing/fake-settlement-publisher.js';
import { principal } from '../testing/principal-fixture.js';
import { TID } from '../testing/relay-fixtures.js';
import { HoldSettler } from './hold-settler.js';

const NO_USAGE = {
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  images: 0,
  characters: 0,
  audioSeconds: 0,
};

function setup() {
  const publisher = new FakeSettlementPublisher();
  return { published: publisher.published, sut: new HoldSettler(publisher.publisher) };
}

describe(HoldSettler.name, () => {
  it('charges a request that delivered for its usage, with the status, channel, latency and stream flag', () => {
    const { published, sut } = setup();
    const usage = {
      inputTokens: 12,
      outputTokens: 34,
      cachedInputTokens: 8,
      cacheWriteTokens: 2,
      reasoningTokens: 30,
      images: 0,
      characters: 0,
      audioSeconds: 0,
    };

    sut.settle({
      holdId: 'hold-1',
      tid: TID,
      principal: principal(),
      model: 'gpt-4o',
      outcome: { status: 200, usage, channelId: 7 },
      latencyMs: 250,
      stream: true,
    });

    expect(published).toEqual([
      {
        holdId: 'hold-1',
        tid: TID,
        userId: 'user-1',
        keyId: 'key-1',
        model: 'gpt-4o',
        channelId: 7,
        succeeded: true,
        usage,
        httpStatus: 200,
        latencyMs: 250,
        stream: true,
      },
    ]);
  });

  it('releases the hold of a request that delivered nothing: not succeeded, zero usage', () => {
    const { published, sut } = setup();

    sut.settle({
      holdId: 'hold-2',
      tid: TID,
      principal: principal(),
      model: 'gpt-4o',
      outcome: { status: 502, usage: null, channelId: 3 },
      latencyMs: 40,
      stream: false,
    });

    expect(published).toEqual([
      expect.objectContaining({ holdId: 'hold-2', channelId: 3, succeeded: false, usage: NO_USAGE, httpStatus: 502 }),
    ]);
  });

  it('releases a hold whose request was refused: no channel, no usage, no latency, with the refusal status', () => {
    const { published, sut } = setup();

    sut.release({ holdId: 'hold-3', tid: TID, principal: principal(), model: 'gpt-4o', httpStatus: 403 });

    expect(published).toEqual([
      {
        holdId: 'hold-3',
        tid: TID,
        userId: 'user-1',
        keyId: 'key-1',
        model: 'gpt-4o',
        channelId: null,
        succeeded: false,
        usage: NO_USAGE,
        httpStatus: 403,
        latencyMs: 0,
        stream: false,
      },
    ]);
  });
});
