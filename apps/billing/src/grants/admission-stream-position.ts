import { Inject, Injectable } from '@nestjs/common';
import type { NatsBus } from '@tollgate/nats';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { NATS_BUS } from '../tokens.js';

/**
 * Where the admission stream stands, read from JetStream: what a grant that
 * stops admitting must wait for before billing frees its unused part (the
 * ack-floor rule, docs/design/credit-grants.md §5.4).
 */
@Injectable()
export class AdmissionStreamPosition {
  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(BILLING_CONFIG)
    private readonly config: Pick<BillingConfig, 'ADMISSION_STREAM_NAME' | 'ADMISSION_DURABLE'>,
  ) {}

  /**
   * The sequence of the last record stored. Read after an edge stopped
   * admitting on a grant (it returned it, or its validity and grace ran
   * out), every record of that grant has a sequence at most this.
   */
  async lastSeq(): Promise<bigint> {
    const info = await (await this.bus.jetstreamManager()).streams.info(this.config.ADMISSION_STREAM_NAME);
    return BigInt(info.state.last_seq);
  }

  /** Every record up to this sequence has been recorded (acknowledged after its commit, or terminated as garbage). */
  async ackFloor(): Promise<bigint> {
    const info = await this.consumerInfo();
    return BigInt(info.ack_floor.stream_seq);
  }

  /** Records appended and not yet recorded: the books are complete up to now when this is 0. */
  async pending(): Promise<number> {
    const info = await this.consumerInfo();
    return info.num_pending + info.num_ack_pending;
  }

  private async consumerInfo() {
    const jsm = await this.bus.jetstreamManager();
    return jsm.consumers.info(this.config.ADMISSION_STREAM_NAME, this.config.ADMISSION_DURABLE);
  }
}
