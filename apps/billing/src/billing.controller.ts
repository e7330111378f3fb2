import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BillingSubjects, ok, type LedgerRequest, type RequestOf, type ReserveRequest } from '@tollgate/contracts';
import { HoldsRepository } from './holds/holds.repository.js';
import { ReserveService } from './holds/reserve.service.js';
import { LedgerService } from './ledger/ledger.service.js';
import { PricesService } from './pricing/prices.service.js';
import { isUuid, invalid } from './request-checks.js';
import { AdjustmentsService } from './staff/adjustments.service.js';
import { BatchAdjustService } from './staff/batch-adjust.service.js';
import { ReconcileService } from './staff/reconcile.service.js';
import { UsageService } from './staff/usage.service.js';

/**
 * The billing service's NATS surface; every subject is declared in
 * @tollgate/contracts. Settlements do not come through here: they are
 * consumed from JetStream (see SettlementConsumer). Staff handlers take
 * `unknown` on purpose: their input is checked field by field.
 */
@Controller()
export class BillingController {
  constructor(
    private readonly reservations: ReserveService,
    private readonly holdsRepository: HoldsRepository,
    private readonly prices: PricesService,
    private readonly ledgerService: LedgerService,
    private readonly adjustments: AdjustmentsService,
    private readonly batches: BatchAdjustService,
    private readonly reconciliation: ReconcileService,
    private readonly usageService: UsageService,
  ) {}

  @MessagePattern(BillingSubjects.reserve.name)
  reserve(@Payload() request: ReserveRequest) {
    return this.reservations.reserve(request);
  }

  @MessagePattern(BillingSubjects.setPrice.name)
  setPrice(@Payload() request: unknown) {
    return this.prices.setPrice(request);
  }

  @MessagePattern(BillingSubjects.listPrices.name)
  listPrices() {
    return this.prices.listPrices();
  }

  @MessagePattern(BillingSubjects.setGroupMultiplier.name)
  setGroupMultiplier(@Payload() request: unknown) {
    return this.prices.setGroupMultiplier(request);
  }

  @MessagePattern(BillingSubjects.listGroupMultipliers.name)
  listGroupMultipliers() {
    return this.prices.listGroupMultipliers();
  }

  @MessagePattern(BillingSubjects.topUp.name)
  topUp(@Payload() request: unknown) {
    return this.adjustments.topUp(request);
  }

  @MessagePattern(BillingSubjects.adjust.name)
  adjust(@Payload() request: unknown) {
    return this.adjustments.adjust(request);
  }

  @MessagePattern(BillingSubjects.batchAdjust.name)
  batchAdjust(@Payload() request: unknown) {
    return this.batches.batchAdjust(request);
  }

  @MessagePattern(BillingSubjects.balance.name)
  balance(@Payload() request: RequestOf<typeof BillingSubjects.balance>) {
    return this.ledgerService.balance(request.userId);
  }

  @MessagePattern(BillingSubjects.ledger.name)
  ledger(@Payload() request: LedgerRequest) {
    return this.ledgerService.page(request);
  }

  @MessagePattern(BillingSubjects.holds.name)
  async holds(@Payload() request: RequestOf<typeof BillingSubjects.holds>) {
    if (!isUuid(request.userId)) return invalid('userId', 'userId must be a uuid');
    return ok(await this.holdsRepository.openHolds(request.userId));
  }

  @MessagePattern(BillingSubjects.usage.name)
  usage(@Payload() request: unknown) {
    return this.usageService.usage(request);
  }

  @MessagePattern(BillingSubjects.reconcile.name)
  reconcile() {
    return this.reconciliation.reconcile();
  }

  @MessagePattern(BillingSubjects.ping.name)
  ping() {
    return { service: 'billing' };
  }
}
