import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsBus } from '@tollgate/nats';
import { testNats, type TestNats } from '@tollgate/testing';
import { DenialException } from '@tollgate/errors';
import type { EdgeConfig } from '../edge.config.js';
import { principal } from '../testing/principal-fixture.js';
import { StoredResponses } from './stored-responses.js';

const silent = {
  warn: () => undefined,
  info: () => undefined,
  error: () => undefined,
  debug: () => undefined,
} as never;

describe(StoredResponses.name, () => {
  let nats: TestNats;
  let buses: NatsBus[];
  let edgeA: StoredResponses;
  let edgeB: StoredResponses;

  beforeAll(async () => {
    nats = await testNats();
    buses = await Promise.all(
      ['edge-a', 'edge-b'].map((name) =>
        NatsBus.connect({ servers: nats.url, name, requestTimeoutMs: 2_000, logger: silent }),
      ),
    );
    const config = { STORED_RESPONSE_TTL_HOURS: 720 } as EdgeConfig;
    edgeA = new StoredResponses(buses[0], config, silent);
    edgeB = new StoredResponses(buses[1], config, silent);
  });

  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await nats.stop();
  });

  const owner = principal({ userId: 'u-owner' });
  const stranger = principal({ userId: 'u-stranger' });

  it("routes a follow-up recorded by one edge replica from another, with the stored answer's size as context", async () => {
    const id = `resp_${randomUUID().replaceAll('-', '')}`;
    await edgeA.remember(id, { channelId: 7, userId: owner.userId, model: 'gpt-4o', contextTokens: 1_234 });
    await expect(edgeB.continuation({ previous_response_id: id }, owner)).resolves.toEqual({
      storedOn: 7,
      contextTokens: 1_234,
    });
    await expect(edgeB.continuation({ input: 'no follow-up' }, owner)).resolves.toBeNull();
  });

  it('tells another user, an unknown id and a forgotten one alike that nothing is stored: a 400 naming the field', async () => {
    const id = `resp_${randomUUID().replaceAll('-', '')}`;
    await edgeA.remember(id, { channelId: 3, userId: owner.userId, model: 'gpt-4o', contextTokens: 10 });
    await expect(edgeB.find(id, stranger)).resolves.toBeNull();
    for (const [body, who] of [
      [{ previous_response_id: id }, stranger],
      [{ previous_response_id: 'resp_never_made_here' }, owner],
      [{ previous_response_id: 'not a key: spaces/and*stars' }, owner],
      [{ previous_response_id: '..' }, owner],
      [{ previous_response_id: 'resp.' }, owner],
    ] as const) {
      const error = await edgeB.continuation(body, who).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DenialException);
      expect((error as DenialException).denial.params?.param).toBe('previous_response_id');
    }
    await edgeB.forget(id);
    await expect(edgeA.find(id, owner)).resolves.toBeNull();
  });
});
