import { SETTLEMENT_STREAM } from '@tollgate/contracts';
import { bool, commonSettings, databaseSettings, loadConfig, str } from '@tollgate/config';
import { EnvError, makeValidator } from 'envalid';

/** An integer setting with a lower bound, so that `DEFAULT_KEY_RPM=0` stops start-up instead of refusing everything. */
const intAtLeast = (min: number) =>
  makeValidator<number>((input: string) => {
    const value = Number(input);
    if (!Number.isSafeInteger(value) || value < min) throw new EnvError(`must be an integer >= ${min}`);
    return value;
  });
const positiveInt = intAtLeast(1);

export const billingSettings = {
  ...commonSettings,
  ...databaseSettings,
  DEFAULT_KEY_RPM: positiveInt({
    default: 600,
    desc: 'Requests per minute per key and model when the key has no rpm_limit of its own',
  }),
  DEFAULT_USER_RPM: positiveInt({ default: 3000, desc: 'Requests per minute per user, across all keys and models' }),
  HOLD_TTL_MS: positiveInt({
    default: 15 * 60_000,
    desc: 'A hold whose settlement has not arrived after this long is charged at the held amount',
  }),
  RESERVE_SYNCHRONOUS_COMMIT: bool({
    default: true,
    desc:
      'false: a reserve does not wait for PostgreSQL to flush its WAL (measured here: p50 0.49 → 0.29 ms per reserve). ' +
      'Nothing is ever half-applied, but a PostgreSQL crash may forget the holds of the last moment (under a second); ' +
      'their settlements then find no hold and are logged, not charged',
  }),
  MAINTENANCE_INTERVAL_MS: positiveInt({
    default: 30_000,
    desc: 'How often a billing replica expires overdue holds and deletes old rate-limit windows',
  }),
  PRICE_CACHE_TTL_MS: intAtLeast(0)({
    default: 30_000,
    desc: 'How long a replica keeps a price or group multiplier in memory; changes are broadcast and apply at once',
  }),
  SETTLEMENT_STREAM_NAME: str({ default: SETTLEMENT_STREAM.stream, desc: 'JetStream stream holding settlements' }),
  SETTLEMENT_SUBJECT: str({
    default: SETTLEMENT_STREAM.subject,
    desc: "Subject the stream captures; must equal the edge's SETTLEMENT_SUBJECT",
  }),
  SETTLEMENT_DURABLE: str({
    default: SETTLEMENT_STREAM.durableConsumer,
    desc: 'Durable pull consumer shared by every billing replica',
  }),
  SETTLEMENT_DUPLICATE_WINDOW_MS: positiveInt({
    default: 120_000,
    desc: 'JetStream drops a second settlement with the same hold id (msgID) within this window',
  }),
  SETTLEMENT_ACK_WAIT_MS: positiveInt({
    default: 30_000,
    desc: 'A settlement not acknowledged within this time is delivered again',
  }),
  SETTLEMENT_MAX_DELIVER: intAtLeast(-1)({
    default: 100_000,
    desc: 'Delivery attempts per settlement before JetStream gives up on it (-1 = never)',
  }),
  SETTLEMENT_CONCURRENCY: positiveInt({
    default: 128,
    desc: 'Settlement messages one replica has in hand at the same time; their settlements are applied in batches of up to 64',
  }),
};

export type BillingConfig = ReturnType<typeof loadBillingConfig>;
export const loadBillingConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig('billing', billingSettings, env);
export const BILLING_CONFIG = Symbol('BILLING_CONFIG');
