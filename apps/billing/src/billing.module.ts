import { Module } from '@nestjs/common';
import { serviceProviders } from '@tollgate/service';
import { databaseProviders } from '@tollgate/service/database';
import { KnownUsersRepository } from './accounts/known-users.repository.js';
import { UserCatchUp } from './accounts/user-catch-up.js';
import { AuthUserDirectory, USER_DIRECTORY } from './accounts/user-directory.js';
import { UserEventsListener } from './accounts/user-events.listener.js';
import { UserRegistry } from './accounts/user-registry.js';
import { BILLING_CONFIG, loadBillingConfig, type BillingConfig } from './billing.config.js';
import { BillingController } from './billing.controller.js';
import { AdmissionConsumer } from './admissions/admission.consumer.js';
import { AdmissionStreamPosition } from './grants/admission-stream-position.js';
import { GrantReclaimer } from './grants/grant-reclaimer.js';
import { GrantSweeper } from './grants/grant.sweeper.js';
import { GrantsRepository } from './grants/grants.repository.js';
import { GrantsService } from './grants/grants.service.js';
import { HoldExpirySweeper } from './holds/hold-expiry.sweeper.js';
import { HoldsRepository } from './holds/holds.repository.js';
import { ReserveService } from './holds/reserve.service.js';
import { LedgerService } from './ledger/ledger.service.js';
import { RateWindowSweeper } from './limits/rate-window.sweeper.js';
import { billingDatabase } from './billing.database.js';
import { PriceBook } from './pricing/price-book.js';
import { PricesService } from './pricing/prices.service.js';
import { RequestLogService } from './requests/request-log.service.js';
import { SettleService } from './settlement/settle.service.js';
import { SettlementConsumer } from './settlement/settlement.consumer.js';
import { AdjustmentBatchesRepository } from './staff/adjustment-batches.repository.js';
import { AdjustmentLedger } from './staff/adjustment-ledger.js';
import { AdjustmentsService } from './staff/adjustments.service.js';
import { BatchAdjustService } from './staff/batch-adjust.service.js';
import { ReconcileService } from './staff/reconcile.service.js';
import { UsageService } from './staff/usage.service.js';
import { OpenBooksGauges } from './metrics/open-books.gauges.js';

@Module({
  controllers: [BillingController],
  providers: [
    { provide: BILLING_CONFIG, useFactory: () => loadBillingConfig() },
    ...serviceProviders<BillingConfig>({ service: 'billing', configToken: BILLING_CONFIG }),
    ...databaseProviders<BillingConfig>({ configToken: BILLING_CONFIG, database: billingDatabase }),
    { provide: USER_DIRECTORY, useClass: AuthUserDirectory },
    OpenBooksGauges,
    KnownUsersRepository,
    UserRegistry,
    UserEventsListener,
    UserCatchUp,
    PriceBook,
    PricesService,
    HoldsRepository,
    GrantsRepository,
    AdmissionStreamPosition,
    GrantReclaimer,
    GrantsService,
    GrantSweeper,
    AdmissionConsumer,
    ReserveService,
    HoldExpirySweeper,
    RateWindowSweeper,
    SettleService,
    SettlementConsumer,
    LedgerService,
    AdjustmentLedger,
    AdjustmentBatchesRepository,
    AdjustmentsService,
    BatchAdjustService,
    ReconcileService,
    UsageService,
    RequestLogService,
  ],
})
export class BillingModule {}
