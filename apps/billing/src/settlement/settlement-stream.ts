import type { ConsumerConfig, JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import type { Logger } from '@tollgate/observability';

export interface SettlementStreamOptions {
  stream: string;
  subject: string;
  durable: string;
  duplicateWindowMs: number;
  ackWaitMs: number;
  maxDeliver: number;
}

// JetStreamApiCodes.StreamNotFound / ConsumerNotFound.
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

const nanos = (ms: number): number => ms * 1_000_000;

/**
 * Creates the settlement stream and its durable consumer if they do not exist
 * yet. Replicas starting together may both try: JetStream accepts a second
 * create with the same configuration, and a failed create is checked again.
 *
 * The stream is a work queue on file storage: a settlement is kept until
 * billing acknowledges it (never lost while billing is down), then removed.
 * Its duplicate window drops a second publish with the same msgID (the hold
 * id); the database makes settling idempotent beyond that window too.
 */
export async function ensureSettlementStream(
  jsm: JetStreamManager,
  options: SettlementStreamOptions,
  logger: Logger,
): Promise<void> {
  const stream: Partial<StreamConfig> & { name: string } = {
    name: options.stream,
    subjects: [options.subject],
    storage: 'file',
    retention: 'workqueue',
    duplicate_window: nanos(options.duplicateWindowMs),
  };
  const existing = await orNotFound(jsm.streams.info(options.stream), STREAM_NOT_FOUND);
  if (!existing) {
    await jsm.streams.add(stream).catch(async (error: unknown) => {
      if (!(await orNotFound(jsm.streams.info(options.stream), STREAM_NOT_FOUND))) throw error;
    });
    logger.info({ stream: options.stream, subject: options.subject }, 'settlement stream created');
  } else if (!existing.config.subjects.includes(options.subject)) {
    logger.warn(
      { stream: options.stream, subjects: existing.config.subjects, expected: options.subject },
      'the settlement stream does not capture the settlement subject; settlements will not arrive',
    );
  }

  const consumer: Partial<ConsumerConfig> = {
    durable_name: options.durable,
    ack_policy: 'explicit',
    deliver_policy: 'all',
    filter_subject: options.subject,
    ack_wait: nanos(options.ackWaitMs),
    max_deliver: options.maxDeliver,
    max_ack_pending: 1000,
  };
  const current = await orNotFound(jsm.consumers.info(options.stream, options.durable), CONSUMER_NOT_FOUND);
  if (!current) {
    await jsm.consumers.add(options.stream, consumer).catch(async (error: unknown) => {
      if (!(await orNotFound(jsm.consumers.info(options.stream, options.durable), CONSUMER_NOT_FOUND))) throw error;
    });
  } else if (current.config.ack_wait !== consumer.ack_wait || current.config.max_deliver !== consumer.max_deliver) {
    await jsm.consumers.update(options.stream, options.durable, {
      ack_wait: consumer.ack_wait,
      max_deliver: consumer.max_deliver,
    });
  }
}

async function orNotFound<T>(lookup: Promise<T>, notFoundCode: number): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === notFoundCode) return null;
    throw error;
  }
}
