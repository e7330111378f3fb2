import { describe, expect, it } from '@jest/globals';
import type { Settlement, SettlementBatch } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { createLogger, type Logger } from '@tollgate/observability';
import type { EdgeConfig } from '../edge.config.js';
import { SettlementPublisher } from './settlement.publisher.js';

const settlement = (holdId: string): Settlement => ({
  holdId,
  tid: '4bf92f3577b34da6a3ce929d0e0e4736',
  userId: 'u',
  keyId: 'k',
  model: 'm',
  channelId: 1,
  succeeded: true,
  usage: { inputTokens: 1, outputTokens: 1, images: 0, characters: 0 },
  httpStatus: 200,
  latencyMs: 3,
  stream: false,
});

/** JetStream as the publisher sees it: records what was published, failing the first `failures` attempts. */
function fakeBus(failures = 0) {
  const published: Array<{ subject: string; batch: SettlementBatch; msgID: string }> = [];
  const attemptedIds: string[] = [];
  const closingHooks: Array<() => Promise<void>> = [];
  const bus = {
    onClosing: (hook: () => Promise<void>) => closingHooks.push(hook),
    /** What NatsBus.close does first. */
    close: () => Promise.all(closingHooks.map((hook) => hook())),
    jetstream: () => ({
      publish: (subject: string, payload: string, options: { msgID: string }) => {
        attemptedIds.push(options.msgID);
        if (attemptedIds.length <= failures) return Promise.reject(new Error('no stream'));
        published.push({ subject, batch: JSON.parse(payload) as SettlementBatch, msgID: options.msgID });
        return Promise.resolve({ duplicate: false });
      },
    }),
  };
  return { bus, natsBus: bus as unknown as NatsBus, published, attemptedIds };
}

const config = { SETTLEMENT_SUBJECT: 'spec.settlements', SETTLEMENT_PUBLISH_ATTEMPTS: 3 } as EdgeConfig;
const logger = createLogger('publisher-spec', 'silent');

describe(SettlementPublisher.name, () => {
  it('publishes settlements finished together in one message, all of them before the bus closes', async () => {
    const { bus, natsBus, published } = fakeBus();
    const sut = new SettlementPublisher(natsBus, logger, config);

    sut.publish(settlement('h1'));
    sut.publish(settlement('h2'));
    sut.publish(settlement('h3'));
    expect(published).toEqual([]); // lingering for company
    await bus.close();

    expect(published).toHaveLength(1);
    expect(published[0].subject).toBe('spec.settlements');
    expect(published[0].batch.settlements.map((s) => s.holdId)).toEqual(['h1', 'h2', 'h3']);
  });

  it('gives a message of one settlement its hold id as message id, so JetStream drops a duplicate publish', async () => {
    const { natsBus, published } = fakeBus();
    const sut = new SettlementPublisher(natsBus, logger, config);

    sut.publish(settlement('only'));
    await sut.flush();

    expect(published.map((p) => p.msgID)).toEqual(['only']);
  });

  it('retries a failed publish under the same message id', async () => {
    const { natsBus, published, attemptedIds } = fakeBus(1);
    const sut = new SettlementPublisher(natsBus, logger, config);

    sut.publish(settlement('a'));
    sut.publish(settlement('b'));
    await sut.flush();

    expect(attemptedIds).toHaveLength(2);
    expect(attemptedIds[1]).toBe(attemptedIds[0]);
    expect(published).toHaveLength(1);
    expect(published[0].batch.settlements).toHaveLength(2);
  });

  it('gives up after SETTLEMENT_PUBLISH_ATTEMPTS, logging each settlement with its tid, and never rejects', async () => {
    const { natsBus, published, attemptedIds } = fakeBus(Number.MAX_SAFE_INTEGER);
    const errors: Array<{ fields: { tid?: string; holdId?: string }; message: string }> = [];
    const capturing = {
      warn: () => undefined,
      error: (fields: { tid?: string; holdId?: string }, message: string) => errors.push({ fields, message }),
    } as unknown as Logger;
    const sut = new SettlementPublisher(natsBus, capturing, { ...config, SETTLEMENT_PUBLISH_ATTEMPTS: 2 });

    sut.publish(settlement('lost-1'));
    sut.publish(settlement('lost-2'));
    await sut.flush();

    expect(attemptedIds).toHaveLength(2);
    expect(published).toEqual([]);
    expect(errors.map(({ fields }) => [fields.holdId, fields.tid])).toEqual([
      ['lost-1', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['lost-2', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ]);
    expect(new Set(errors.map(({ message }) => message))).toEqual(
      new Set(['settlement not published; the hold will expire and be charged at the held amount']),
    );
  });
});
