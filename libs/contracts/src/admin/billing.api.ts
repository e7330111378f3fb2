import { Type, type Static, type TSchema } from '@tollgate/typebox';
import {
  BATCH_ROW_ERRORS,
  BATCH_ROW_STATUSES,
  BatchRowCounts,
  HOLD_STATUSES,
  BatchRowMessage,
  LEDGER_ENTRY_TYPES,
  RECONCILE_KINDS,
} from '../billing.contract.js';
import { GRANT_STATUSES } from '../grants.contract.js';
import {
  ChannelId,
  DateOrInstant,
  GroupName,
  IdempotencyKey,
  Instant,
  KeysetCursor,
  LIMITS,
  ModelName,
  Money,
  NonZeroSignedMoney,
  Nullable,
  OneOf,
  PositiveMoney,
  Reason,
  RowCursor,
  storablePattern,
  TraceId,
  Uuid,
} from '../schema/fields.js';
import { ListOf } from './common.api.js';

/* Prices, balances and the work of billing staff on the admin API. Money is a decimal string. */

const MONEY_OUT = { description: 'Decimal amount with six decimals, e.g. "12.500000"' };
const MoneyOut = (options: { description?: string } = {}) => Type.String({ ...MONEY_OUT, ...options });

// ── prices ────────────────────────────────────────────────────────────────

export const PriceSet = Type.Object(
  {
    input_per_million: Type.Optional(Money({ description: 'Per million input tokens' })),
    output_per_million: Type.Optional(Money({ description: 'Per million output tokens' })),
    image_prices: Type.Optional(
      // Any letter case: billing compares sizes in lower case (the ImageSize atom, after normalising).
      Type.Record(
        Type.String({ pattern: `^(\\*|[A-Za-z0-9][A-Za-z0-9:._-]{0,${LIMITS.imageSizeLength - 1}})$` }),
        Money(),
        {
          additionalProperties: false,
          maxProperties: LIMITS.imageSizes,
          errorMessage: `{param} must map up to ${LIMITS.imageSizes} image sizes (e.g. "1024x1024", or "*" for any other) to decimal prices`,
          description: 'Price per image by size; replaces the whole table when given',
        },
      ),
    ),
    characters_per_million: Type.Optional(Money({ description: 'Per million characters (speech)' })),
    cached_input_per_million: Type.Optional(
      Nullable(Money(), {
        description: 'Per million input tokens read from the prompt cache; null = at the input price',
      }),
    ),
    cache_write_per_million: Type.Optional(
      Nullable(Money(), {
        description: 'Per million input tokens written to the prompt cache; null = at the input price',
      }),
    ),
    reasoning_per_million: Type.Optional(
      Nullable(Money(), {
        description: 'Per million reasoning tokens (part of the output); null = at the output price',
      }),
    ),
    audio_per_minute: Type.Optional(
      Nullable(Money(), {
        description:
          'Per minute of audio, for models priced by duration (whisper-1: 0.006); null = not priced by duration',
      }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    $id: 'PriceSet',
    description:
      'At least one price; absent ones keep their value (for a new model 0, and null for the cached-input, cache-write, reasoning and audio-minute prices)',
  },
);
export type PriceSet = Static<typeof PriceSet>;

export const PriceResponse = Type.Object(
  {
    object: Type.Literal('price'),
    model: Type.String(),
    input_per_million: MoneyOut(),
    output_per_million: MoneyOut(),
    image_prices: Type.Record(Type.String(), MoneyOut()),
    characters_per_million: MoneyOut(),
    cached_input_per_million: Nullable(MoneyOut(), { description: 'null = at the input price' }),
    cache_write_per_million: Nullable(MoneyOut(), { description: 'null = at the input price' }),
    reasoning_per_million: Nullable(MoneyOut(), { description: 'null = at the output price' }),
    audio_per_minute: Nullable(MoneyOut(), { description: 'null = not priced by audio duration' }),
    updated_at: Instant(),
  },
  { additionalProperties: false, $id: 'Price' },
);
export type PriceResponse = Static<typeof PriceResponse>;
export const PriceList = ListOf(PriceResponse, 'PriceList');
export type PriceList = Static<typeof PriceList>;
export const ModelParams = Type.Object({ model: ModelName() }, { additionalProperties: false });

// ── balances and the ledger ────────────────────────────────────────────────

/**
 * The names auth has for the ids billing keeps, which billing staff read
 * rather than ids: null when the id names no user or key (any more).
 */
const UserName = () => Nullable(Type.String(), { description: "The user's name; null if auth knows no such user" });
const KeyName = () => Nullable(Type.String(), { description: "The API key's name; null if auth knows no such key" });

export const BalanceResponse = Type.Object(
  {
    object: Type.Literal('balance'),
    user_id: Uuid(),
    balance: MoneyOut(),
    held: Type.String({ description: 'Reserved by requests in flight' }),
    granted: Type.String({
      description: 'Part of the balance lent to edges as credit grants and not yet used (see the grants list)',
    }),
    available: Type.String({ description: 'What new requests can still be held for: balance − granted' }),
    updated_at: Nullable(Instant()),
  },
  { additionalProperties: false, $id: 'Balance' },
);
export type BalanceResponse = Static<typeof BalanceResponse>;

export const LedgerEntryResponse = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('ledger_entry'),
    user_id: Uuid(),
    type: OneOf(LEDGER_ENTRY_TYPES),
    amount: MoneyOut(),
    balance_after: MoneyOut(),
    hold_id: Nullable(Uuid()),
    actor: Type.String({
      description:
        'Who made it: a user id (the staff member of a top-up or adjustment), `key:<key id>` (a hold), `settlement` or `hold-expiry`',
    }),
    reason: Nullable(Type.String()),
    tid: Nullable(Type.String()),
    idempotency_key: Type.String(),
    created_at: Instant(),
  },
  { additionalProperties: false, $id: 'LedgerEntry' },
);
export type LedgerEntryResponse = Static<typeof LedgerEntryResponse>;
/** A ledger entry as staff read it (the ledger, a request's trace): with the names of its user and actor. */
export const NamedLedgerEntryResponse = Type.Object(
  {
    ...LedgerEntryResponse.properties,
    user_name: UserName(),
    actor_name: Nullable(Type.String(), {
      description:
        'The name of the actor: the staff user who made a top-up or adjustment, the API key of a hold (actor `key:<id>`); null for the services (`settlement`, `hold-expiry`) and for an id auth does not know',
    }),
  },
  { additionalProperties: false, $id: 'NamedLedgerEntry' },
);
export type NamedLedgerEntryResponse = Static<typeof NamedLedgerEntryResponse>;
export const LedgerList = ListOf(NamedLedgerEntryResponse, 'LedgerList', { paged: true });
export type LedgerList = Static<typeof LedgerList>;

const TYPE_NAME = `(${LEDGER_ENTRY_TYPES.join('|')})`;
export const LedgerQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: LIMITS.ledgerPage, description: 'Default 100 (1000 for CSV)' }),
    ),
    cursor: Type.Optional(
      Type.String({
        maxLength: 200,
        pattern: storablePattern(),
        description: 'The `next_cursor` of the previous page',
      }),
    ),
    type: Type.Optional(
      Type.String({
        pattern: `^${TYPE_NAME}(,${TYPE_NAME})*$`,
        errorMessage: `{param} must be among ${LEDGER_ENTRY_TYPES.join(', ')} (comma-separated)`,
        description: 'Only these entry types, comma-separated',
      }),
    ),
    from: Type.Optional(DateOrInstant({ description: 'Entries created at or after' })),
    to: Type.Optional(DateOrInstant({ description: 'Entries created before' })),
    tid: Type.Optional(
      TraceId({
        description: "Only the entries written under this tid: a request's charge or release, a staff call's change",
      }),
    ),
    format: Type.Optional(OneOf(['json', 'csv'] as const, { description: 'csv: the page as text/csv' })),
  },
  { additionalProperties: false },
);
export type LedgerQuery = Static<typeof LedgerQuery>;

// ── top-ups and adjustments ─────────────────────────────────────────────────

export const TopUpInput = Type.Object(
  { amount: PositiveMoney(), reason: Reason(), idempotency_key: IdempotencyKey() },
  { additionalProperties: false, $id: 'TopUp' },
);
export type TopUpInput = Static<typeof TopUpInput>;

export const AdjustmentInput = Type.Object(
  {
    amount: NonZeroSignedMoney({ description: 'Signed: "-2.5" takes money away' }),
    reason: Reason(),
    idempotency_key: IdempotencyKey(),
    allow_negative: Type.Optional(
      Type.Boolean({ description: 'Let a negative adjustment take the balance below zero (default false)' }),
    ),
  },
  { additionalProperties: false, $id: 'Adjustment' },
);
export type AdjustmentInput = Static<typeof AdjustmentInput>;

export const AdjustmentResponse = Type.Object(
  {
    entry: LedgerEntryResponse,
    balance: BalanceResponse,
    replayed: Type.Boolean({ description: 'The idempotency key was used before: nothing changed, this is its entry' }),
  },
  { additionalProperties: false, $id: 'AdjustmentResult' },
);
export type AdjustmentResponse = Static<typeof AdjustmentResponse>;

// ── batches ────────────────────────────────────────────────────────────────

export const BatchRowInput = Type.Object(
  { user_id: Uuid(), amount: NonZeroSignedMoney(), reason: Reason(), idempotency_key: IdempotencyKey() },
  { additionalProperties: false, $id: 'BatchRow' },
);
export type BatchRowInput = Static<typeof BatchRowInput>;

/** The columns of a CSV batch, in the order of a row. */
export const BATCH_CSV_COLUMNS = ['user_id', 'amount', 'reason', 'idempotency_key'] as const;

export const BatchInput = Type.Object(
  {
    rows: Type.Optional(Type.Array(BatchRowInput, { minItems: 1, maxItems: LIMITS.batchRows })),
    csv: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.batchCsvLength,
        description: `CSV text with the header ${BATCH_CSV_COLUMNS.join(',')}, instead of rows`,
      }),
    ),
    dry_run: Type.Optional(Type.Boolean({ description: 'Check every row and show its effect; change nothing' })),
    allow_negative: Type.Optional(Type.Boolean()),
  },
  {
    additionalProperties: false,
    $id: 'BatchAdjustment',
    description: `Up to ${LIMITS.batchRows} adjustments, as rows or as csv (one of the two). A malformed row refuses the batch (400 naming it); rows that cannot apply are reported in the result, and then nothing is applied.`,
  },
);
export type BatchInput = Static<typeof BatchInput>;

/** A schema with its description for this answer (the contract's own schema, otherwise unchanged). */
const described = <S extends TSchema>(schema: S, description: string): S => ({ ...schema, description });

const BatchRowErrorOut = () =>
  OneOf(BATCH_ROW_ERRORS, {
    description:
      'key_repeated: the key is on an earlier row of the batch; key_reused: it was used before for a different change; below_zero: the balance would go below zero',
  });

export const BatchResponse = Type.Object(
  {
    object: Type.Literal('batch_adjustment'),
    id: Uuid({ description: 'The batch: every row of it at GET /admin/v1/adjustments/batches/{id}/rows' }),
    dry_run: Type.Boolean(),
    applied: Type.Boolean({ description: 'True only when every row was applied (or replayed) and committed' }),
    counts: Type.Object(
      {
        applied: described(BatchRowCounts.properties.applied, 'Rows applied now: each a new ledger entry'),
        would_apply: described(BatchRowCounts.properties.would_apply, 'Rows a dry run found would apply'),
        replayed: described(
          BatchRowCounts.properties.replayed,
          'Rows applied before under the same idempotency key (a batch sent again): nothing changed for them',
        ),
        error: described(BatchRowCounts.properties.error, 'Rows that cannot apply (see failed_rows)'),
        not_applied: described(
          BatchRowCounts.properties.not_applied,
          'Rows without an error of their own, not applied because another row failed',
        ),
      },
      { additionalProperties: false, description: 'Rows in each status' },
    ),
    failed_rows: Type.Array(
      Type.Object(
        {
          index: Type.Integer({ description: "The row's position in the batch, from 0" }),
          user_id: Uuid(),
          error: BatchRowErrorOut(),
          message: BatchRowMessage(),
        },
        { additionalProperties: false },
      ),
      { maxItems: LIMITS.batchRows, description: 'The rows in error; when there are any, nothing was applied' },
    ),
  },
  {
    additionalProperties: false,
    $id: 'BatchAdjustmentResult',
    description:
      "Counts and the failed rows, whatever the batch's size; every row's result is paged from the rows route",
  },
);
export type BatchResponse = Static<typeof BatchResponse>;

export const BatchParams = Type.Object({ batch_id: Uuid() }, { additionalProperties: false });

export const BatchRowsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.batchRowsPage, description: 'Default 100' })),
    cursor: Type.Optional(RowCursor({ description: 'The `next_cursor` of the previous page' })),
  },
  { additionalProperties: false },
);
export type BatchRowsQuery = Static<typeof BatchRowsQuery>;

export const BatchRowResponse = Type.Object(
  {
    object: Type.Literal('batch_adjustment_row'),
    index: Type.Integer(),
    user_id: Uuid(),
    amount: MoneyOut(),
    idempotency_key: Type.String(),
    status: OneOf(BATCH_ROW_STATUSES),
    balance_before: Nullable(MoneyOut()),
    balance_after: Nullable(MoneyOut()),
    entry_id: Nullable(Type.String({ description: 'The ledger entry written (applied) or found (replayed)' })),
    error: Nullable(BatchRowErrorOut()),
    message: Nullable(BatchRowMessage()),
  },
  { additionalProperties: false, $id: 'BatchAdjustmentRow' },
);
export type BatchRowResponse = Static<typeof BatchRowResponse>;
export const BatchRowList = ListOf(BatchRowResponse, 'BatchAdjustmentRowList', { paged: true });
export type BatchRowList = Static<typeof BatchRowList>;

// ── holds, usage, reconcile, groups ─────────────────────────────────────────

export const HoldResponse = Type.Object(
  {
    id: Uuid(),
    object: Type.Literal('hold'),
    user_id: Uuid(),
    key_id: Uuid(),
    model: Type.String(),
    amount: MoneyOut(),
    tid: Nullable(Type.String()),
    grant_id: Nullable(
      Uuid({ description: 'The credit grant the request was admitted on; null for a per-request reserve' }),
    ),
    created_at: Instant(),
    expires_at: Instant(),
  },
  { additionalProperties: false, $id: 'Hold' },
);
export type HoldResponse = Static<typeof HoldResponse>;
export const HoldList = ListOf(HoldResponse, 'HoldList');
export type HoldList = Static<typeof HoldList>;

export const GrantResponse = Type.Object(
  {
    id: Uuid(),
    object: Type.Literal('grant'),
    edge_id: Uuid({ description: 'The edge replica the grant was lent to' }),
    user_id: Uuid(),
    key_id: Uuid(),
    model: Type.String(),
    status: OneOf(GRANT_STATUSES, {
      description:
        'open: the edge admits on it; returned or draining: it stopped, and closes once its admissions are all recorded',
    }),
    amount: MoneyOut({ description: 'Lent' }),
    drawn: MoneyOut({ description: 'Recorded as holds so far' }),
    unused: MoneyOut({ description: 'Still kept from other requests: amount − drawn' }),
    requests: Type.Integer({ description: 'Requests lent from both rate windows' }),
    drawn_requests: Type.Integer(),
    created_at: Instant(),
    expires_at: Instant(),
  },
  { additionalProperties: false, $id: 'Grant' },
);
export type GrantResponse = Static<typeof GrantResponse>;
export const GrantList = ListOf(GrantResponse, 'GrantList');
export type GrantList = Static<typeof GrantList>;

export const UsageQuery = Type.Object(
  {
    from: Type.Optional(DateOrInstant({ description: 'Usage recorded at or after' })),
    to: Type.Optional(DateOrInstant({ description: 'Usage recorded before' })),
    user_id: Type.Optional(Uuid()),
    key_id: Type.Optional(Uuid()),
    model: Type.Optional(ModelName()),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: LIMITS.usageRows, description: 'Most rows returned (default 1000)' }),
    ),
  },
  { additionalProperties: false },
);
export type UsageQuery = Static<typeof UsageQuery>;

export const UsageResponse = Type.Object(
  {
    object: Type.Literal('usage_report'),
    truncated: Type.Boolean({ description: 'More rows matched than limit' }),
    data: Type.Array(
      Type.Object(
        {
          day: Type.String({ format: 'date' }),
          user_id: Uuid(),
          user_name: UserName(),
          key_id: Uuid(),
          key_name: KeyName(),
          model: Type.String(),
          requests: Type.Integer(),
          failed_requests: Type.Integer(),
          input_tokens: Type.Integer({ description: 'All input tokens, the cached and cache-write ones included' }),
          output_tokens: Type.Integer({ description: 'All output tokens, the reasoning ones included' }),
          cached_input_tokens: Type.Integer({ description: 'Input tokens read from the prompt cache' }),
          cache_write_tokens: Type.Integer({ description: 'Input tokens written to the prompt cache' }),
          reasoning_tokens: Type.Integer({ description: 'Output tokens spent reasoning' }),
          images: Type.Integer(),
          characters: Type.Integer(),
          audio_seconds: Type.Integer({ description: 'Seconds of audio charged per minute' }),
          cost: MoneyOut(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, $id: 'UsageReport' },
);
export type UsageResponse = Static<typeof UsageResponse>;

// ── the request log ─────────────────────────────────────────────────────────

export const RequestLogEntryResponse = Type.Object(
  {
    id: Type.String({ description: "The usage log's row id" }),
    object: Type.Literal('request'),
    tid: Nullable(Type.String({ description: 'The trace id the client saw in X-Tid and in error bodies' })),
    hold_id: Uuid(),
    user_id: Uuid(),
    user_name: UserName(),
    key_id: Uuid(),
    key_name: KeyName(),
    model: Type.String({ description: 'As the client asked for it' }),
    channel_id: Nullable(Type.Integer({ description: 'The channel that answered last; null when none was called' })),
    status: Type.Integer({ description: 'The HTTP status the client got (499: the client left)' }),
    succeeded: Type.Boolean({ description: 'Charged; false: failed, and the hold released' }),
    stream: Type.Boolean(),
    latency_ms: Type.Integer(),
    input_tokens: Type.Integer({ description: 'All input tokens, the cached and cache-write ones included' }),
    output_tokens: Type.Integer({ description: 'All output tokens, the reasoning ones included' }),
    cached_input_tokens: Type.Integer(),
    cache_write_tokens: Type.Integer(),
    reasoning_tokens: Type.Integer(),
    images: Type.Integer(),
    characters: Type.Integer(),
    audio_seconds: Type.Integer(),
    cost: MoneyOut({ description: 'Charged; 0 for a failed request' }),
    created_at: Instant({ description: 'When it was settled' }),
  },
  { additionalProperties: false, $id: 'RequestLogEntry' },
);
export type RequestLogEntryResponse = Static<typeof RequestLogEntryResponse>;
export const RequestLogList = ListOf(RequestLogEntryResponse, 'RequestLogList', { paged: true });
export type RequestLogList = Static<typeof RequestLogList>;

/** `ok` and `failed` are the outcome; three digits, the HTTP status the client got. */
export const REQUEST_OUTCOMES = ['ok', 'failed'] as const;

export const RequestLogQuery = Type.Object(
  {
    tid: Type.Optional(TraceId()),
    user_id: Type.Optional(Uuid()),
    key_id: Type.Optional(Uuid()),
    model: Type.Optional(ModelName()),
    channel_id: Type.Optional(ChannelId()),
    status: Type.Optional(
      Type.String({
        pattern: `^(${REQUEST_OUTCOMES.join('|')}|\\d{3})$`,
        errorMessage: '{param} must be ok, failed or an HTTP status such as 502',
        description: 'ok (charged), failed (released), or the HTTP status the client got',
      }),
    ),
    from: Type.Optional(DateOrInstant({ description: 'Settled at or after' })),
    to: Type.Optional(DateOrInstant({ description: 'Settled before; not before from' })),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: LIMITS.requestLogPage,
        description: `Requests per page, 1–${LIMITS.requestLogPage} (default 50); not with format=csv, which exports every page`,
      }),
    ),
    cursor: Type.Optional(KeysetCursor({ description: 'The `next_cursor` of the previous page' })),
    format: Type.Optional(
      OneOf(['json', 'csv'] as const, {
        description:
          'csv: every matching request from the cursor on, newest first, as text/csv (up to REQUEST_LOG_CSV_MAX_ROWS)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RequestLogQuery = Static<typeof RequestLogQuery>;

export const RequestTraceParams = Type.Object({ tid: TraceId() }, { additionalProperties: false });

export const RequestTraceResponse = Type.Object(
  {
    object: Type.Literal('request_trace'),
    tid: Type.String(),
    requests: Type.Array(
      Type.Object(
        {
          request: RequestLogEntryResponse,
          hold: Nullable(
            Type.Object(
              {
                id: Uuid(),
                status: OneOf(HOLD_STATUSES),
                held: MoneyOut({ description: 'Held at admission' }),
                charged: Nullable(MoneyOut({ description: 'Charged when it closed; null while open' })),
                grant_id: Nullable(Uuid({ description: 'The credit grant it was admitted on' })),
                created_at: Instant(),
                closed_at: Nullable(Instant()),
              },
              { additionalProperties: false },
            ),
          ),
          ledger: Type.Array(NamedLedgerEntryResponse, { description: 'hold, then release and charge (or expiry)' }),
        },
        { additionalProperties: false },
      ),
      {
        description:
          'Each request settled under the tid, oldest first: one, unless a client sent the same traceparent again',
      },
    ),
  },
  { additionalProperties: false, $id: 'RequestTrace' },
);
export type RequestTraceResponse = Static<typeof RequestTraceResponse>;

export const ReconcileResponse = Type.Object(
  {
    object: Type.Literal('reconcile_report'),
    checked_at: Instant(),
    ok: Type.Boolean(),
    accounts: Type.Integer(),
    keys: Type.Integer(),
    differences: Type.Array(
      Type.Object(
        {
          kind: OneOf(RECONCILE_KINDS),
          user_id: Nullable(Type.String()),
          key_id: Nullable(Type.String()),
          recorded: MoneyOut(),
          expected: MoneyOut(),
          difference: MoneyOut(),
        },
        { additionalProperties: false },
      ),
    ),
    accounts_without_user: Type.Array(
      Type.Object({ user_id: Type.String(), balance: MoneyOut(), held: MoneyOut() }, { additionalProperties: false }),
      { description: 'Accounts whose user auth does not know: money no key can spend' },
    ),
    pending_admissions: Nullable(
      Type.Integer({
        description:
          'Admission records edges stored that billing has not yet recorded as holds; the books are complete up to ' +
          'now when this is 0 and no hold is open. null: JetStream did not answer',
      }),
    ),
  },
  { additionalProperties: false, $id: 'ReconcileReport' },
);
export type ReconcileResponse = Static<typeof ReconcileResponse>;

/** 0 to 100, at most 4 decimals: ×100 at most, so a typo of two extra zeros is refused rather than charged. */
const MAX_MULTIPLIER = LIMITS.multiplierBasisPoints / 10_000;
const MAX_MULTIPLIER_DIGITS = String(MAX_MULTIPLIER).length;
export const MultiplierInput = Type.Object(
  {
    multiplier: Type.String({
      // The maximum is a power of ten: itself (with zero decimals), or fewer whole digits.
      pattern: `^(${MAX_MULTIPLIER}(\\.0{1,4})?|\\d{1,${MAX_MULTIPLIER_DIGITS - 1}}(\\.\\d{1,4})?)$`,
      errorMessage: `{param} must be a decimal from 0 to ${MAX_MULTIPLIER} with at most 4 decimals, e.g. "0.8"`,
      description: 'e.g. "0.8" for 20 % off',
    }),
  },
  { additionalProperties: false, $id: 'GroupMultiplierInput' },
);
export type MultiplierInput = Static<typeof MultiplierInput>;

export const GroupResponse = Type.Object(
  {
    object: Type.Literal('group'),
    group: Type.String(),
    multiplier: Type.String({ description: 'e.g. "0.8000"' }),
    updated_at: Nullable(Instant()),
  },
  { additionalProperties: false, $id: 'Group' },
);
export type GroupResponse = Static<typeof GroupResponse>;
export const GroupList = ListOf(GroupResponse, 'GroupList');
export type GroupList = Static<typeof GroupList>;
export const GroupParams = Type.Object({ group: GroupName() }, { additionalProperties: false });
