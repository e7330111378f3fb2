import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openServiceDatabase, type ServiceDatabase } from '@tollgate/db';
import { NatsBus } from '@tollgate/nats';
import { createLogger, type Logger } from '@tollgate/observability';
import { BILLING_CONFIG, loadBillingConfig, type BillingConfig } from './billing.config.js';
import { BillingController } from './billing.controller.js';
import { HoldExpirySweeper } from './holds/hold-expiry.sweeper.js';
import { HoldsRepository } from './holds/holds.repository.js';
import { ReserveService } from './holds/reserve.service.js';
import { LedgerService } from './ledger/ledger.service.js';
import { RateWindowSweeper } from './limits/rate-window.sweeper.js';
import { BILLING_MIGRATIONS, BILLING_SCHEMA } from './migrations/billing-migrations.js';
import { PriceBook } from './pricing/price-book.js';
import { PricesService } from './pricing/prices.service.js';
import { SettleService } from './settlement/settle.service.js';
import { SettlementConsumer } from './settlement/settlement.consumer.js';
import { AdjustmentLedger } from './staff/adjustment-ledger.js';
import { AdjustmentsService } from './staff/adjustments.service.js';
import { BatchAdjustService } from './staff/batch-adjust.service.js';
import { ReconcileService } from './staff/reconcile.service.js';
import { UsageService } from './staff/usage.service.js';
import { LOGGER, NATS_BUS } from './tokens.js';

const SERVICE_DATABASE = Symbol('SERVICE_DATABASE');

@Module({
  controllers: [BillingController],
  providers: [
    { provide: BILLING_CONFIG, useFactory: () => loadBillingConfig() },
    {
      provide: LOGGER,
      useFactory: (config: BillingConfig) => createLogger('billing', config.LOG_LEVEL),
      inject: [BILLING_CONFIG],
    },
    {
      provide: SERVICE_DATABASE,
      inject: [BILLING_CONFIG, LOGGER],
      useFactory: (config: BillingConfig, logger: Logger) =>
        openServiceDatabase({
          url: config.DATABASE_URL,
          dataDir: config.DATA_DIR,
          embeddedPort: config.EMBEDDED_PG_PORT,
          schema: BILLING_SCHEMA,
          entities: [],
          migrations: BILLING_MIGRATIONS,
          poolSize: config.DATABASE_POOL_SIZE,
          logger,
        }),
    },
    { provide: DataSource, inject: [SERVICE_DATABASE], useFactory: (db: ServiceDatabase) => db.dataSource },
    {
      provide: NATS_BUS,
      inject: [BILLING_CONFIG, LOGGER],
      useFactory: (config: BillingConfig, logger: Logger) =>
        NatsBus.connect({
          servers: config.NATS_URL,
          name: 'billing-bus',
          requestTimeoutMs: config.NATS_REQUEST_TIMEOUT_MS,
          logger,
        }),
    },
    PriceBook,
    PricesService,
    HoldsRepository,
    ReserveService,
    HoldExpirySweeper,
    RateWindowSweeper,
    SettleService,
    SettlementConsumer,
    LedgerService,
    AdjustmentLedger,
    AdjustmentsService,
    BatchAdjustService,
    ReconcileService,
    UsageService,
  ],
})
export class BillingModule implements OnApplicationShutdown {
  constructor(
    @Inject(SERVICE_DATABASE) private readonly database: ServiceDatabase,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
  ) {}

  /** After every onModuleDestroy: the settlement consumer and sweepers have stopped using both. */
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.database.close();
  }
}
