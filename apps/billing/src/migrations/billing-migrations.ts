import { CreateBillingSchema1764400000000 } from './1764400000000-create-billing-schema.js';
import { SettleInOneRoundTrip1764500000000 } from './1764500000000-settle-in-one-round-trip.js';
import { ReserveAndSettleInBatches1764600000000 } from './1764600000000-reserve-and-settle-in-batches.js';

/** The schema billing owns; its SQL names every table as `billing.<table>`. */
export const BILLING_SCHEMA = 'billing';

/** In the order they apply. */
export const BILLING_MIGRATIONS = [
  CreateBillingSchema1764400000000,
  SettleInOneRoundTrip1764500000000,
  ReserveAndSettleInBatches1764600000000,
];
