import { CreateBillingSchema1764400000000 } from './1764400000000-create-billing-schema.js';
import { SettleInOneRoundTrip1764500000000 } from './1764500000000-settle-in-one-round-trip.js';
import { ReserveAndSettleInBatches1764600000000 } from './1764600000000-reserve-and-settle-in-batches.js';
import { KnownUsers1764700000000 } from './1764700000000-known-users.js';
import { IdempotencyKeysInNfc1764710000000 } from './1764710000000-idempotency-keys-in-nfc.js';
import { AdjustmentBatches1764720000000 } from './1764720000000-adjustment-batches.js';
import { PriceTokenParts1764730000000 } from './1764730000000-price-token-parts.js';
import { PriceAudioMinutes1764740000000 } from './1764740000000-price-audio-minutes.js';
import { CreditGrants1764750000000 } from './1764750000000-credit-grants.js';
import { RequestLogIndexes1764760000000 } from './1764760000000-request-log-indexes.js';
import { LedgerByTid1764770000000 } from './1764770000000-ledger-by-tid.js';

/** The schema billing owns; its SQL names every table as `billing.<table>`. */
export const BILLING_SCHEMA = 'billing';

/** In the order they apply. */
export const BILLING_MIGRATIONS = [
  CreateBillingSchema1764400000000,
  SettleInOneRoundTrip1764500000000,
  ReserveAndSettleInBatches1764600000000,
  KnownUsers1764700000000,
  IdempotencyKeysInNfc1764710000000,
  AdjustmentBatches1764720000000,
  PriceTokenParts1764730000000,
  PriceAudioMinutes1764740000000,
  CreditGrants1764750000000,
  RequestLogIndexes1764760000000,
  LedgerByTid1764770000000,
];

/**
 * The functions that run, one file each in `src/sql/`, applied after
 * BILLING_MIGRATIONS whenever a file's text changed (the build copies them
 * next to the compiled code). They replace the definitions the versioned
 * migrations above made, which stay as history.
 */
export const BILLING_REPEATABLE_MIGRATIONS = [
  'reserve-hold.sql',
  'reserve-holds.sql',
  'settle-hold.sql',
  'settle-holds.sql',
  'expire-holds.sql',
  'acquire-grants.sql',
  'free-grant.sql',
  'return-grants.sql',
  'record-admissions.sql',
  'close-grants.sql',
].map((file) => new URL(`../sql/${file}`, import.meta.url));
