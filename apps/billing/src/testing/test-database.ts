import { afterAll, beforeAll } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { lateBound, TestDatabase } from '@tollgate/testing';
import type { BillingConfig } from '../billing.config.js';
import { BILLING_MIGRATIONS, BILLING_REPEATABLE_MIGRATIONS, BILLING_SCHEMA } from '../migrations/billing-migrations.js';
import { billingInstance, testConfig, type BillingInstance } from './billing-fixture.js';

/** Billing's schema, opened and migrated as the service opens it. */
const BILLING_DATABASE = {
  schema: BILLING_SCHEMA,
  entities: [],
  migrations: BILLING_MIGRATIONS,
  repeatableMigrations: BILLING_REPEATABLE_MIGRATIONS,
};

export interface BillingDatabase {
  /** The billing services over the spec file's own database (`billing.db`), from its first test on. */
  billing: BillingInstance;
  /** One more connection pool on that database, as a second billing replica would have. */
  openReplica: () => Promise<DataSource>;
}

/**
 * A fresh billing database for one spec file, migrated before its first test
 * and dropped (every pool opened on it closed) after its last.
 */
export function useBillingDatabase(config: BillingConfig = testConfig()): BillingDatabase {
  const billing = lateBound<BillingInstance>('the billing database');
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await TestDatabase.create('billing_test');
    billing.bind(billingInstance(await database.open(BILLING_DATABASE), config));
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    billing: billing.value,
    openReplica: async () => {
      if (!database) throw new Error('the billing database is not ready (did beforeAll fail?)');
      return database.open(BILLING_DATABASE);
    },
  };
}
