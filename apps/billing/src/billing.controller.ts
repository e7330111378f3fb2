import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  BillingSubjects,
  ok,
  type AcquireGrantRequest,
  type AdjustRequest,
  type BatchAdjustRequest,
  type BatchRowsRequest,
  type GroupMultiplierInput,
  type LedgerRequest,
  type PriceInput,
  type RequestLogRequest,
  type RequestOf,
  type ReserveRequest,
  type ReturnGrantsRequest,
  type StageBatchRowsRequest,
  type TopUpRequest,
  type UsageRequest,
} from '@tollgate/contracts';
import { HandleRequest } from '@tollgate/nats/server';
import { UserRegistry } from './accounts/user-registry.js';
import { GrantsService } from './grants/grants.service.js';
import { HoldsRepository } from './holds/holds.repository.js';
import { ReserveService } from './holds/reserve.service.js';
import { LedgerService } from './ledger/ledger.service.js';
import { PricesService } from './pricing/prices.service.js';
import { RequestLogService } from './requests/request-log.service.js';
import { AdjustmentsService } from './staff/adjustments.service.js';
import { BatchAdjustService } from './staff/batch-adjust.service.js';
import { ReconcileService } from './staff/reconcile.service.js';
import { UsageService } from './staff/usage.service.js';

/**
 * The billing service's NATS surface; every subject is declared in
 * @tollgate/contracts, and every request is checked against its schema
 * before a handler here sees it (see HandleRequest). Settlements do not
 * come through here: they are consumed from JetStream (see
 * SettlementConsumer), nor do admission records (AdmissionConsumer).
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
    private readonly requestLog: RequestLogService,
    private readonly users: UserRegistry,
    private readonly grantsService: GrantsService,
  ) {}

  @HandleRequest(BillingSubjects.reserve)
  reserve(@Payload() request: ReserveRequest) {
    return this.reservations.reserve(request);
  }

  @HandleRequest(BillingSubjects.acquireGrant)
  acquireGrant(@Payload() request: AcquireGrantRequest) {
    return this.grantsService.acquire(request);
  }

  @HandleRequest(BillingSubjects.returnGrants)
  returnGrants(@Payload() request: ReturnGrantsRequest) {
    return this.grantsService.returnGrants(request);
  }

  @HandleRequest(BillingSubjects.grants)
  async grants(@Payload() request: RequestOf<typeof BillingSubjects.grants>) {
    const user = await this.users.exists(request.userId);
    return user.ok ? this.grantsService.list(request.userId) : user;
  }

  @HandleRequest(BillingSubjects.setPrice)
  setPrice(@Payload() request: PriceInput) {
    return this.prices.setPrice(request);
  }

  @HandleRequest(BillingSubjects.listPrices)
  listPrices() {
    return this.prices.listPrices();
  }

  @HandleRequest(BillingSubjects.setGroupMultiplier)
  setGroupMultiplier(@Payload() request: GroupMultiplierInput) {
    return this.prices.setGroupMultiplier(request);
  }

  @HandleRequest(BillingSubjects.listGroupMultipliers)
  listGroupMultipliers() {
    return this.prices.listGroupMultipliers();
  }

  @HandleRequest(BillingSubjects.topUp)
  topUp(@Payload() request: TopUpRequest) {
    return this.adjustments.topUp(request);
  }

  @HandleRequest(BillingSubjects.adjust)
  adjust(@Payload() request: AdjustRequest) {
    return this.adjustments.adjust(request);
  }

  @HandleRequest(BillingSubjects.stageBatchRows)
  stageBatchRows(@Payload() request: StageBatchRowsRequest) {
    return this.batches.stage(request);
  }

  @HandleRequest(BillingSubjects.batchAdjust)
  batchAdjust(@Payload() request: BatchAdjustRequest) {
    return this.batches.batchAdjust(request);
  }

  @HandleRequest(BillingSubjects.batchRows)
  batchRows(@Payload() request: BatchRowsRequest) {
    return this.batches.rows(request);
  }

  @HandleRequest(BillingSubjects.balance)
  async balance(@Payload() request: RequestOf<typeof BillingSubjects.balance>) {
    const user = await this.users.exists(request.userId);
    return user.ok ? ok(await this.ledgerService.balance(request.userId)) : user;
  }

  @HandleRequest(BillingSubjects.ledger)
  async ledger(@Payload() request: LedgerRequest) {
    const user = await this.users.exists(request.userId);
    return user.ok ? this.ledgerService.page(request) : user;
  }

  @HandleRequest(BillingSubjects.holds)
  async holds(@Payload() request: RequestOf<typeof BillingSubjects.holds>) {
    const user = await this.users.exists(request.userId);
    return user.ok ? ok(await this.holdsRepository.openHolds(request.userId)) : user;
  }

  @HandleRequest(BillingSubjects.usage)
  usage(@Payload() request: UsageRequest) {
    return this.usageService.usage(request);
  }

  @HandleRequest(BillingSubjects.requests)
  requests(@Payload() request: RequestLogRequest) {
    return this.requestLog.page(request);
  }

  @HandleRequest(BillingSubjects.requestTrace)
  requestTrace(@Payload() request: RequestOf<typeof BillingSubjects.requestTrace>) {
    return this.requestLog.trace(request.tid);
  }

  @HandleRequest(BillingSubjects.reconcile)
  async reconcile() {
    const [report, pendingAdmissions] = await Promise.all([
      this.reconciliation.reconcile(),
      this.grantsService.pendingAdmissions(),
    ]);
    return report.ok ? ok({ ...report.value, pendingAdmissions }) : report;
  }

  /** Asked by the edge's /healthz on every probe (a load balancer's, every few seconds): its line is at debug. */
  @HandleRequest(BillingSubjects.ping, { logLevel: 'debug' })
  ping() {
    return { service: 'billing' };
  }
}
