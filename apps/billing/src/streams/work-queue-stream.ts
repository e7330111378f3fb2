import type { ConsumerConfig, JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import type { Logger } from '@tollgate/observability';

export interface WorkQueueStreamOptions {
  /** What the stream carries, for the log lines ("settlement", "admission"). */
  carries: string;
  stream: string;
  subject: string;
  durable: string;
  duplicateWindowMs: number;
  ackWaitMs: number;
  maxDeliver: number;
  /** Messages delivered and not yet acknowledged, across every replica, before JetStream waits. */
  maxAckPending: number;
}

// JetStreamApiCodes.StreamNotFound / ConsumerNotFound.
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

const nanos = (ms: number): number => ms * 1_000_000;

/**
 * Creates a work-queue stream (settlements, admission records) and its durable
 * consumer if they do not exist yet. Replicas starting together may both try: JetStream accepts a second
 * create with the same configuration, and a failed create is checked again.
 *
 * The stream is a work queue on file storage: a message is kept until
 * billing acknowledges it (never lost while billing is down), then removed.
 * Its duplicate window drops a second publish with the same msgID (the hold
 * or admission id); the database makes applying idempotent beyond that
 * window too.
 */
export async function ensureWorkQueueStream(
  jsm: JetStreamManager,
  options: WorkQueueStreamOptions,
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
    logger.info({ stream: options.stream, subject: options.subject }, `${options.carries} stream created`);
  } else if (!existing.config.subjects.includes(options.subject)) {
    logger.warn(
      { stream: options.stream, subjects: existing.config.subjects, expected: options.subject },
      `the ${options.carries} stream does not capture the ${options.carries} subject; nothing will arrive`,
    );
  }

  const consumer: Partial<ConsumerConfig> = {
    durable_name: options.durable,
    ack_policy: 'explicit',
    deliver_policy: 'all',
    filter_subject: options.subject,
    ack_wait: nanos(options.ackWaitMs),
    max_deliver: options.maxDeliver,
    max_ack_pending: options.maxAckPending,
  };
  const current = await orNotFound(jsm.consumers.info(options.stream, options.durable), CONSUMER_NOT_FOUND);
  if (!current) {
    await jsm.consumers.add(options.stream, consumer).catch(async (error: unknown) => {
      if (!(await orNotFound(jsm.consumers.info(options.stream, options.durable), CONSUMER_NOT_FOUND))) throw error;
    });
  } else if (
    current.config.ack_wait !== consumer.ack_wait ||
    current.config.max_deliver !== consumer.max_deliver ||
    current.config.max_ack_pending !== consumer.max_ack_pending
  ) {
    await jsm.consumers.update(options.stream, options.durable, {
      ack_wait: consumer.ack_wait,
      max_deliver: consumer.max_deliver,
      max_ack_pending: consumer.max_ack_pending,
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
