import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JetStreamApiError } from '@nats-io/jetstream';
import { NoRespondersError } from '@nats-io/nats-core';
import { LIMITS, type AdmissionBatch, type AdmissionRecord } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { MicroBatcher } from '@tollgate/service';
import type { EdgeConfig } from '../edge.config.js';
import { EDGE_CONFIG, LOGGER, NATS_BUS } from '../tokens.js';

/**
 * - `stored`: JetStream acknowledged the record: the request may be served.
 * - `refused`: JetStream answered that it did not store it (no stream, the
 *   stream full): nothing was admitted, the slice gets its money back.
 * - `unknown`: no answer in time, or the connection failed: the record may be
 *   stored all the same. The request is not served on it, and a release
 *   carrying the record goes to billing, which records then releases it.
 */
export type AppendResult = 'stored' | 'refused' | 'unknown';

/** Appends in flight at once; the records taken meanwhile go out together in the next message. */
const CONCURRENT_APPENDS = 4;

/**
 * Makes an admission from a grant durable before the upstream is called: one
 * JetStream append per batch of records, with no linger — a request waits on
 * it. A message's id is the admission id when it holds one record, else a
 * fresh UUID, so JetStream drops a duplicate (billing records each admission
 * once whatever arrives twice).
 */
@Injectable()
export class AdmissionJournal {
  private readonly batcher = new MicroBatcher<AdmissionRecord, AppendResult>({
    maxBatchSize: LIMITS.admissionsPerMessage,
    maxConcurrentBatches: CONCURRENT_APPENDS,
    run: (records) => this.appendBatch(records),
  });

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EDGE_CONFIG) private readonly config: Pick<EdgeConfig, 'ADMISSION_SUBJECT' | 'ADMISSION_APPEND_TIMEOUT_MS'>,
  ) {}

  append(record: AdmissionRecord): Promise<AppendResult> {
    return this.batcher.submit(record);
  }

  private async appendBatch(records: AdmissionRecord[]): Promise<AppendResult[]> {
    const batch: AdmissionBatch = { admissions: records };
    const msgID = records.length === 1 ? records[0].admissionId : randomUUID();
    let result: AppendResult;
    try {
      await this.bus.jetstream().publish(this.config.ADMISSION_SUBJECT, JSON.stringify(batch), {
        msgID,
        timeout: this.config.ADMISSION_APPEND_TIMEOUT_MS,
      });
      result = 'stored';
    } catch (error) {
      result = error instanceof JetStreamApiError || error instanceof NoRespondersError ? 'refused' : 'unknown';
      this.logger.warn(
        { err: error, tids: records.map((record) => record.tid), result },
        'admission records not appended; their requests fall back to a billing reserve',
      );
    }
    return records.map(() => result);
  }
}
