import { SETTLEMENT_STREAM } from '@tollgate/contracts';
import {
  bool,
  commonSettings,
  databaseSettings,
  intAtLeast,
  loadConfig,
  nonNegativeInt,
  positiveInt,
  refuseContradictions,
  str,
  type SettingRule,
} from '@tollgate/config';

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
  USER_SYNC_INTERVAL_MS: positiveInt({
    default: 300_000,
    desc:
      'How often a billing replica reads every user from auth again, besides the lifecycle events and the catch-up ' +
      'at start and on reconnect: the longest a missed suspension or group change stays unseen by billing. ' +
      'A user it has not heard of is asked of auth before money is refused, whatever this is',
  }),
  PRICE_CACHE_TTL_MS: nonNegativeInt({
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
  HOLD_TTL_MARGIN_MS: nonNegativeInt({
    default: 300_000,
    desc: 'What a hold must outlive beyond two settlement redeliveries: the longest a request runs between its reserve and its settlement (the router’s default first-byte timeout alone is two minutes). HOLD_TTL_MS must be at least 2 × SETTLEMENT_ACK_WAIT_MS + this',
  }),
  SETTLEMENT_CONCURRENCY: positiveInt({
    default: 128,
    desc: 'Settlement messages one replica has in hand at the same time; their settlements are applied in batches of up to 64',
  }),
};

/** Ack waits a hold must outlive: one settlement lost to a billing crash, and a second crash while it is retried. */
export const HOLD_TTL_REDELIVERIES = 2;

type Settings = ReturnType<typeof loadSettings>;
const loadSettings = (env: NodeJS.ProcessEnv) => loadConfig('billing', billingSettings, env);

const billingRules: readonly SettingRule<Settings>[] = [
  {
    // An expired hold is charged at the held amount; a settlement that arrives after it changes nothing.
    settings: ['HOLD_TTL_MS', 'SETTLEMENT_ACK_WAIT_MS', 'HOLD_TTL_MARGIN_MS'],
    holds: (c) => c.HOLD_TTL_MS >= HOLD_TTL_REDELIVERIES * c.SETTLEMENT_ACK_WAIT_MS + c.HOLD_TTL_MARGIN_MS,
    explain: (c) =>
      `HOLD_TTL_MS must be at least ${HOLD_TTL_REDELIVERIES} × SETTLEMENT_ACK_WAIT_MS + HOLD_TTL_MARGIN_MS ` +
      `(here ${HOLD_TTL_REDELIVERIES * c.SETTLEMENT_ACK_WAIT_MS + c.HOLD_TTL_MARGIN_MS} ms): a settlement redelivered ` +
      'after a billing crash arrives an ack wait late, after a request that may have run for minutes, and must ' +
      'still find its hold open, or the customer pays the estimate instead of the usage',
  },
];

export type BillingConfig = Settings;
export const loadBillingConfig = (env: NodeJS.ProcessEnv = process.env) =>
  refuseContradictions('billing', loadSettings(env), billingRules);
export const BILLING_CONFIG = Symbol('BILLING_CONFIG');
