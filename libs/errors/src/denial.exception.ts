import { DenialReason, type Denial, type DenialParams } from './denial-reason.js';

/**
 * Lets HTTP code (the edge) leave a handler with a denial; the edge's
 * exception filter renders it. NATS handlers return denials as data instead.
 */
export class DenialException extends Error {
  readonly denial: Denial;

  constructor(reason: DenialReason, params?: DenialParams) {
    super(reason);
    this.name = 'DenialException';
    this.denial = params === undefined ? { reason } : { reason, params };
  }

  static of(denial: Denial): DenialException {
    return new DenialException(denial.reason, denial.params);
  }
}
