import type { Settlement } from '@tollgate/contracts';
import type { SettlementPublisher } from '../settlement/settlement.publisher.js';

/** Records the settlements handed over, in order, instead of publishing them. */
export class FakeSettlementPublisher {
  readonly published: Settlement[] = [];

  get publisher(): SettlementPublisher {
    return this as unknown as SettlementPublisher;
  }

  publish(settlement: Settlement): void {
    this.published.push(settlement);
  }
}
