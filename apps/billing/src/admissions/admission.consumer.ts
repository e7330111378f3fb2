import { Inject, Injectable } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { admissionItem } from '../grants/admission-item.js';
import { GrantsRepository } from '../grants/grants.repository.js';
import { jsonBody, retryDelayMs, WorkQueueConsumer } from '../streams/work-queue-consumer.js';
import { LOGGER, NATS_BUS } from '../tokens.js';
import { parseAdmissionMessage } from './admission-message.js';

/**
 * Messages one replica keeps in hand. Each waits ADMISSION_APPLY_DELAY_MS
 * first (a timer, not work), so this bounds the rate at about this many
 * messages per delay; an edge puts every record it has ready in one message.
 */
const ADMISSIONS_IN_HAND = 1000;

/**
 * Turns the admission records edges append (one per request admitted from a
 * credit grant, before its upstream call) into holds: the hold row, its
 * ledger line, the draw on the grant (billing.record_admissions). A record
 * waits ADMISSION_APPLY_DELAY_MS first: by then most requests have settled,
 * and their settlement — which carries the record — has recorded and settled
 * them in one transaction; the record then finds its hold and changes
 * nothing. Acknowledged after the commit; a failure comes back later, so a
 * record is never lost, and the ack floor it advances is what lets billing
 * close the grants of an edge that died (GrantSweeper).
 */
@Injectable()
export class AdmissionConsumer extends WorkQueueConsumer {
  constructor(
    @Inject(NATS_BUS) bus: NatsBus,
    private readonly grants: GrantsRepository,
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(
      bus,
      logger,
      {
        carries: 'admission',
        stream: config.ADMISSION_STREAM_NAME,
        subject: config.ADMISSION_SUBJECT,
        durable: config.ADMISSION_DURABLE,
        duplicateWindowMs: config.SETTLEMENT_DUPLICATE_WINDOW_MS,
        ackWaitMs: config.SETTLEMENT_ACK_WAIT_MS,
        maxDeliver: config.SETTLEMENT_MAX_DELIVER,
        maxAckPending: 2 * ADMISSIONS_IN_HAND,
      },
      ADMISSIONS_IN_HAND,
    );
  }

  protected async handle(msg: JsMsg): Promise<void> {
    const message = parseAdmissionMessage(jsonBody(msg));
    if ('error' in message) {
      this.logger.error({ seq: msg.seq, problem: message.error }, 'not an admission record; dropped');
      msg.term();
      return;
    }
    for (const problem of message.rejected) {
      this.logger.error({ seq: msg.seq, problem }, 'not an admission record; dropped');
    }
    // Redeliveries are not delayed again: they come after a failure, or after a crash of the replica that held them.
    if (msg.info.deliveryCount === 1 && this.config.ADMISSION_APPLY_DELAY_MS > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.config.ADMISSION_APPLY_DELAY_MS));
    }
    try {
      const outcomes = await this.grants.recordAdmissions(
        message.items.map((record) => admissionItem(record, this.config.HOLD_TTL_MS)),
      );
      msg.ack();
      outcomes.forEach((outcome, index) => {
        const record = message.items[index];
        if (outcome === 'recorded_outside_grant') {
          this.logger.warn(
            { tid: record.tid, holdId: record.admissionId, grantId: record.grantId, edgeId: record.edgeId },
            'admission recorded after its grant was closed; charged outside the grant',
          );
        } else if (outcome === 'unknown_grant') {
          this.logger.error(
            { tid: record.tid, holdId: record.admissionId, grantId: record.grantId, edgeId: record.edgeId },
            'admission names a grant billing never made; dropped',
          );
        } else if (outcome === 'recorded') {
          this.logger.info(
            { tid: record.tid, holdId: record.admissionId, grantId: record.grantId, amountMicros: record.amountMicros },
            'admission recorded as a hold',
          );
        } else {
          // The usual case (see ADMISSION_APPLY_DELAY_MS): the request's settlement recorded it first,
          // and that settlement's line says so (fromGrant); at debug, so a request is not logged twice.
          this.logger.debug({ tid: record.tid, holdId: record.admissionId }, 'admission recorded by its settlement');
        }
      });
    } catch (error) {
      const delay = retryDelayMs(msg);
      this.logger.error(
        { err: error, tids: message.items.map((record) => record.tid), retryInMs: delay },
        'admission records not recorded; will retry',
      );
      msg.nak(delay);
    }
  }
}
