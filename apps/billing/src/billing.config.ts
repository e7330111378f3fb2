import { ADMISSION_STREAM, SETTLEMENT_STREAM } from '@tollgate/contracts';
import {
  bool,
  commonSettings,
  opsSettings,
  databaseSettings,
  intAtLeast,
  loadConfig,
  nonNegativeMs,
  positiveInt,
  positiveMs,
  refuseContradictions,
  str,
  type SettingRule,
} from '@tollgate/config';

export const billingSettings = {
  ...commonSettings,
  ...opsSettings('billing'),
  ...databaseSettings,
  DEFAULT_KEY_RPM: positiveInt({
    default: 600,
    desc: 'Requests per minute per key and model when the key has no rpm_limit of its own',
  }),
  DEFAULT_USER_RPM: positiveInt({ default: 3000, desc: 'Requests per minute per user, across all keys and models' }),
  HOLD_TTL_MS: positiveMs({
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
  MAINTENANCE_INTERVAL_MS: positiveMs({
    default: 30_000,
    desc: 'How often a billing replica expires overdue holds and deletes old rate-limit windows',
  }),
  USER_SYNC_INTERVAL_MS: positiveMs({
    default: 300_000,
    desc:
      'How often a billing replica reads every user from auth again, besides the lifecycle events and the catch-up ' +
      'at start and on reconnect: the longest a missed suspension or group change stays unseen by billing. ' +
      'A user it has not heard of is asked of auth before money is refused, whatever this is',
  }),
  PRICE_CACHE_TTL_MS: nonNegativeMs({
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
  SETTLEMENT_DUPLICATE_WINDOW_MS: positiveMs({
    default: 120_000,
    desc: 'JetStream drops a second settlement with the same hold id (msgID) within this window',
  }),
  SETTLEMENT_ACK_WAIT_MS: positiveMs({
    default: 30_000,
    desc: 'A settlement not acknowledged within this time is delivered again',
  }),
  SETTLEMENT_MAX_DELIVER: intAtLeast(-1)({
    default: 100_000,
    desc: 'Delivery attempts per settlement before JetStream gives up on it (-1 = never)',
  }),
  HOLD_TTL_MARGIN_MS: nonNegativeMs({
    default: 300_000,
    desc: 'What a hold must outlive beyond two settlement redeliveries: the longest a request runs between its reserve and its settlement (the router’s default first-byte timeout alone is two minutes). HOLD_TTL_MS must be at least 2 × SETTLEMENT_ACK_WAIT_MS + this',
  }),
  SETTLEMENT_CONCURRENCY: positiveInt({
    default: 128,
    desc: 'Settlement messages one replica has in hand at the same time; their settlements are applied in batches of up to 64',
  }),
  GRANT_VALIDITY_MS: positiveMs({
    default: 10_000,
    desc:
      'How long an edge may admit requests on a credit grant (never past the end of its one-minute rate window): the ' +
      'longest a reclaim whose broadcast was lost (a staff debit, a suspension) can take to apply on that edge',
  }),
  GRANT_SHARE_DIVISOR: intAtLeast(2)({
    default: 2,
    desc: 'A grant takes at most 1/this of what the user, the key and the rate windows can still spend, so other edges always find some',
  }),
  GRANT_FALLBACK_REQUESTS: positiveInt({
    default: 8,
    desc:
      'Billing declines a grant worth fewer requests than this (after the share divisor): near the end of a balance, ' +
      'a budget or a rate window every edge admits per request, exact to the last micro-unit',
  }),
  GRANT_RECLAIM_WAIT_MS: nonNegativeMs({
    default: 250,
    desc:
      'A reserve that would be refused while edges hold unused grants of the same user or key asks them back and waits ' +
      'this long for them before it answers; a staff debit waits the same',
  }),
  GRANT_CLOSE_GRACE_MS: positiveMs({
    default: 5_000,
    desc:
      "How long after a grant's validity billing waits before it closes a grant its edge never returned (an edge " +
      "killed): at least the edges' ADMISSION_APPEND_TIMEOUT_MS, so every admission the edge made is in the stream by then",
  }),
  GRANT_SWEEP_INTERVAL_MS: positiveMs({
    default: 1_000,
    desc: 'How often a billing replica closes returned and expired grants whose admissions have all been recorded',
  }),
  ADMISSION_STREAM_NAME: str({ default: ADMISSION_STREAM.stream, desc: 'JetStream stream holding admission records' }),
  ADMISSION_SUBJECT: str({
    default: ADMISSION_STREAM.subject,
    desc: "Subject the admission stream captures; must equal the edge's ADMISSION_SUBJECT",
  }),
  ADMISSION_DURABLE: str({
    default: ADMISSION_STREAM.durableConsumer,
    desc: 'Durable pull consumer of admission records shared by every billing replica',
  }),
  ADMISSION_APPLY_DELAY_MS: nonNegativeMs({
    default: 1_000,
    desc:
      'How long billing keeps an admission record before it records it as a hold: most settlements arrive first and ' +
      'record and settle the request in one transaction. Less than half of SETTLEMENT_ACK_WAIT_MS (which the admission consumer shares)',
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
  {
    settings: ['GRANT_RECLAIM_WAIT_MS', 'NATS_REQUEST_TIMEOUT_MS'],
    holds: (c) => c.GRANT_RECLAIM_WAIT_MS * 2 < c.NATS_REQUEST_TIMEOUT_MS,
    explain: () =>
      'GRANT_RECLAIM_WAIT_MS must be less than half of NATS_REQUEST_TIMEOUT_MS: a reserve that waits for grants to ' +
      'come back must still answer before the edge stops waiting for it',
  },
  {
    settings: ['ADMISSION_APPLY_DELAY_MS', 'SETTLEMENT_ACK_WAIT_MS'],
    holds: (c) => c.ADMISSION_APPLY_DELAY_MS * 2 < c.SETTLEMENT_ACK_WAIT_MS,
    explain: () =>
      'ADMISSION_APPLY_DELAY_MS must be less than half of SETTLEMENT_ACK_WAIT_MS: a record kept that long must still ' +
      'be acknowledged before JetStream delivers it again',
  },
];

export type BillingConfig = Settings;
export const loadBillingConfig = (env: NodeJS.ProcessEnv = process.env) =>
  refuseContradictions('billing', loadSettings(env), billingRules);
export const BILLING_CONFIG = Symbol('BILLING_CONFIG');
