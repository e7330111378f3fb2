import { Type, type SchemaOptions, type Static, type TLiteral, type TSchema, type TUnion } from '@tollgate/typebox';
import type { ErrorAnnotations } from './validator.js';

/**
 * Every limit of the contracts, declared once. The edge's checks, the
 * services' checks, the OpenAPI document and the CLI all read these.
 */
export const LIMITS = {
  /** Names of users, keys, channels; model names. */
  nameLength: 200,
  reasonLength: 500,
  idempotencyKeyLength: 200,
  groupNameLength: 64,
  emailLength: 320,
  urlLength: 2048,
  upstreamKeyLength: 4096,
  /**
   * Rows of one batch adjustment. No message about a batch grows with the
   * rows' text: the rows reach billing in parts of at most `batchPartBytes`,
   * the reply carries counts and the failed rows, and every row's result is
   * read a page at a time (`batchRowsPage`).
   */
  batchRows: 1000,
  /** Row results on one page of a batch's rows. */
  batchRowsPage: 200,
  /** A failed batch row's message: plain ASCII that billing writes, naming no client text. */
  batchRowMessageLength: 160,
  /** JSON bytes of the rows one NATS message hands to billing when a batch is staged. */
  batchPartBytes: 262_144,
  /**
   * NATS's default `max_payload`, the largest message the services count on
   * the server taking. Replies that grow with their input are sized in a
   * unit test (`batch-message-size.spec.ts`) to stay under half of it.
   */
  natsMaxPayloadBytes: 1_048_576,
  /** CSV text of a batch: 1,000 rows of generous width. */
  batchCsvLength: 1_000_000,
  /** Entries of one ledger page (also of one CSV export). */
  ledgerPage: 1000,
  /** Requests of one page of the request log on the admin API. */
  requestLogPage: 500,
  /**
   * Requests of one message from billing: the edge reads a page (or a CSV
   * export) in parts of this many. At its worst (a 200-character model name
   * of characters JSON escapes, a 64-character tid) a request is about 2.2 kB
   * of JSON, so a part stays under half of `natsMaxPayloadBytes`
   * (`batch-message-size.spec.ts`).
   */
  requestLogPart: 200,
  /** Requests one trace of a tid shows, the oldest (a client may send one traceparent with every call). */
  traceRequests: 20,
  /** Users of one page of the user list. */
  usersPage: 500,
  /** Users of one page of the directory billing catches up from (id, group, status: a few dozen bytes each). */
  userDirectoryPage: 1000,
  /** Rows of one usage report. */
  usageRows: 10_000,
  /**
   * User ids, and as many key ids, whose names one message asks of auth
   * (AuthSubjects.names): a part of the request log (`requestLogPart` rows:
   * each a key and its user) in one ask. At its worst (every name 200
   * characters that JSON escapes) the answer stays under half of
   * `natsMaxPayloadBytes` (`batch-message-size.spec.ts`).
   */
  nameLookupIds: 200,
  /** Requests one credit grant may cover (the edge's ask is clamped to it). */
  grantRequests: 4096,
  /** Grants one edge returns in one message. */
  grantReturns: 256,
  /** Admission records one JetStream message carries. */
  admissionsPerMessage: 64,
  /** Sizes in one model's image price table. */
  imageSizes: 50,
  /** Models, groups, IP ranges in one list. */
  listItems: 1000,
  /** A trace id in a message: the edge's are 32 hex digits; other callers' may be longer. */
  tidLength: 64,
  /** A size in a model's image price table ("1024x1024", "hd:1792x1024"). */
  imageSizeLength: 64,
  /** Digits of a PostgreSQL bigint, the largest row id a cursor can name. */
  bigintDigits: 19,
  /** A PostgreSQL integer column. */
  int4: 2_147_483_647,
  /** A channel's connect, first-byte or idle timeout. */
  timeoutMs: 3_600_000,
  /** A group price multiplier, in basis points: ×100 at most, so a typo of two extra zeros is refused, not charged. */
  multiplierBasisPoints: 1_000_000,
  /** Whole digits of a decimal amount: 10^12 − 1 units is 10^18 micros, inside a bigint column. */
  moneyWholeDigits: 12,
  moneyFractionDigits: 6,
  /** Choices (`n`) one chat or legacy completion may ask for: OpenAI's bound. */
  choices: 128,
  /** Candidates (`best_of`) a legacy completion generates server-side. */
  bestOf: 20,
  /** Most likely tokens (`logprobs`) a legacy completion returns per position. */
  completionLogprobs: 5,
  /** Inputs of one embeddings request: OpenAI's bound on any array there. */
  embeddingInputs: 2048,
  /** Slowest and fastest text-to-speech `speed`. */
  speechSpeedMin: 0.25,
  speechSpeedMax: 4,
} as const;

type Options = SchemaOptions & ErrorAnnotations;

/**
 * Text PostgreSQL can store: no NUL, and no UTF-16 surrogate without its pair
 * (JSON lets a client send both, as `\\u0000` and `\\ud800`; a text column
 * refuses the first, and the second cannot be encoded as UTF-8 at all).
 * Written so that it means the same with and without the regex `u` flag.
 */
export const STORABLE_TEXT = '(?:[^\\u0000\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*';
/** Not only white space. */
const NOT_BLANK = '(?=[\\s\\S]*\\S)';
/** The pattern of storable text, after an optional lookahead of more rules. */
export const storablePattern = (lookahead = '') => `^${lookahead}${STORABLE_TEXT}$`;
const STORABLE_WORDS = 'without NUL or unpaired surrogate characters';

export const Text = (max: number, options: Options = {}) =>
  Type.String({
    minLength: 1,
    maxLength: max,
    pattern: storablePattern(NOT_BLANK),
    errorMessage: `{param} must be 1 to ${max} characters, not only spaces, ${STORABLE_WORDS}`,
    ...options,
  });

export const Name = (options: Options = {}) => Text(LIMITS.nameLength, options);
export const ModelName = (options: Options = {}) =>
  Name({ description: 'A model name as clients send it', ...options });
export const Reason = (options: Options = {}) =>
  Text(LIMITS.reasonLength, { description: 'Why the balance changes; kept in the ledger', ...options });

export const GroupName = (options: Options = {}) =>
  Type.String({
    pattern: `^[\\w.-]{1,${LIMITS.groupNameLength}}$`,
    errorMessage: `{param} must be 1–${LIMITS.groupNameLength} letters, digits, dots, dashes or underscores`,
    ...options,
  });

/**
 * The `api-version` an Azure channel uses when the admin set none: the
 * latest generally available data-plane version Azure documents (preview
 * versions change shape without notice, so they are opt-in).
 */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

/** Azure OpenAI's `api-version` query: a date, optionally `-preview`. */
export const ApiVersion = (options: Options = {}) =>
  Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}(-preview)?$',
    errorMessage: '{param} must be an API version such as 2024-10-21 or 2025-04-01-preview',
    ...options,
  });

/** Keys of the ledger rows billing writes itself start with these; staff keys may not collide with them. */
export const RESERVED_IDEMPOTENCY_PREFIXES = ['hold:', 'charge:', 'release:', 'expiry:'] as const;

/**
 * What a key may hold beyond storable text: no control character (C0, DEL,
 * C1), which no one means in a key and which a terminal or CSV file shows as
 * nothing or as something else; no white space at either end, which would
 * make two keys look the same (they are refused rather than trimmed, so a
 * key is never silently turned into another one that may already be used).
 */
const KEY_TEXT = '(?:[^\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*';
const NO_SPACE_AT_THE_ENDS = '(?!\\s)(?![\\s\\S]*\\s$)';

/**
 * An idempotency key as billing compares and stores it: Unicode NFC, so that
 * "é" composed and "e" + combining accent are one key. Every path that sends
 * or uses a key (the edge's admin routes, the CLI, billing) calls this one
 * function; the key's format (`idempotency-key`) checks the normalised form.
 */
export const normalizeIdempotencyKey = (key: string): string => key.normalize('NFC');

export const IdempotencyKey = (options: Options = {}) =>
  Type.String({
    minLength: 1,
    maxLength: LIMITS.idempotencyKeyLength,
    format: 'idempotency-key',
    pattern: `^(?!${RESERVED_IDEMPOTENCY_PREFIXES.join('|')})${NO_SPACE_AT_THE_ENDS}${KEY_TEXT}$`,
    errorMessage: `{param} must be 1 to ${LIMITS.idempotencyKeyLength} characters (also in Unicode NFC), without control characters, NUL, unpaired surrogates or white space at either end, and may not start with ${RESERVED_IDEMPOTENCY_PREFIXES.join(', ')}`,
    description:
      'The same key twice applies once; the second answer is the first one, marked replayed. Compared in Unicode NFC.',
    ...options,
  });

export const Uuid = (options: Options = {}) => Type.String({ format: 'uuid', ...options });
export const Instant = (options: Options = {}) => Type.String({ format: 'date-time', ...options });
/** A day or an instant, for filters: `2026-11-01` or `2026-11-01T12:00:00Z`. */
export const DateOrInstant = (options: Options = {}) =>
  Type.Union([Type.String({ format: 'date' }), Type.String({ format: 'date-time' })], {
    errorMessage: '{param} must be an ISO 8601 date or date-time',
    ...options,
  });
export const Email = (options: Options = {}) =>
  Type.String({ format: 'email', maxLength: LIMITS.emailLength, pattern: storablePattern(), ...options });
export const IpRange = (options: Options = {}) =>
  Type.String({
    format: 'ip-range',
    errorMessage: '{param} must list IPv4 or IPv6 addresses or CIDR ranges, e.g. 10.0.0.0/8',
    ...options,
  });

/** An http(s) URL without credentials (every listing would show them), query or fragment. */
export const BaseUrl = (options: Options = {}) =>
  Type.String({
    format: 'uri',
    maxLength: LIMITS.urlLength,
    // Printable ASCII only (a host beyond ASCII is written in punycode): no spaces, controls or NUL.
    pattern: '^https?://[^/?#@\\u0000-\\u0020\\u007f-\\uffff]+(/[^?#\\u0000-\\u0020\\u007f-\\uffff]*)?$',
    errorMessage:
      '{param} must be an http:// or https:// URL without credentials, query or fragment, e.g. https://api.openai.com/v1',
    ...options,
  });

/** Printable ASCII without spaces: an upstream key ends up in an HTTP header. */
export const UpstreamKey = (options: Options = {}) =>
  Type.String({
    pattern: `^[\\x21-\\x7e]{1,${LIMITS.upstreamKeyLength}}$`,
    errorMessage: '{param} must be a non-empty string without spaces or control characters',
    writeOnly: true,
    ...options,
  });

export const Int4 = (options: Options & { minimum?: number; maximum?: number } = {}) =>
  Type.Integer({ minimum: -LIMITS.int4, maximum: LIMITS.int4, ...options });

export const RpmLimit = (options: Options = {}) =>
  Type.Integer({ minimum: 1, maximum: LIMITS.int4, description: 'Requests per minute', ...options });

export const TimeoutMs = (options: Options = {}) => Type.Integer({ minimum: 1, maximum: LIMITS.timeoutMs, ...options });

const WHOLE = `\\d{1,${LIMITS.moneyWholeDigits}}`;
const FRACTION = `(\\.\\d{1,${LIMITS.moneyFractionDigits}})?`;
const NOT_ZERO = '(?!0+(\\.0+)?$)';
const moneyMessage = (what: string) =>
  `{param} must be ${what} decimal string with at most ${LIMITS.moneyFractionDigits} decimals, e.g. "12.50"`;

/** Money as people write it in the admin API: a decimal string, never a float. */
export const Money = (options: Options = {}) =>
  Type.String({ pattern: `^${WHOLE}${FRACTION}$`, errorMessage: moneyMessage('a non-negative'), ...options });
export const PositiveMoney = (options: Options = {}) =>
  Type.String({ pattern: `^${NOT_ZERO}${WHOLE}${FRACTION}$`, errorMessage: moneyMessage('a positive'), ...options });
export const NonZeroSignedMoney = (options: Options = {}) =>
  Type.String({
    pattern: `^-?${NOT_ZERO}${WHOLE}${FRACTION}$`,
    errorMessage: moneyMessage('a non-zero, signed'),
    ...options,
  });

const MICRO_DIGITS = LIMITS.moneyWholeDigits + LIMITS.moneyFractionDigits;
/** Money between services: an integer number of micro-units, as a string (JSON numbers are not exact). */
export const Micros = (options: Options = {}) =>
  Type.String({
    pattern: `^\\d{1,${MICRO_DIGITS}}$`,
    errorMessage: '{param} must be a non-negative integer number of micro-units, as a string',
    ...options,
  });
export const SignedMicros = (options: Options = {}) =>
  Type.String({
    pattern: `^-?\\d{1,${MICRO_DIGITS}}$`,
    errorMessage: '{param} must be a signed integer number of micro-units, as a string',
    ...options,
  });
export const NonZeroSignedMicros = (options: Options = {}) =>
  Type.String({
    pattern: `^-?(?!0+$)\\d{1,${MICRO_DIGITS}}$`,
    errorMessage: '{param} must be a non-zero signed integer number of micro-units, as a string',
    ...options,
  });
export const PositiveMicros = (options: Options = {}) =>
  Type.String({
    pattern: `^(?!0+$)\\d{1,${MICRO_DIGITS}}$`,
    errorMessage: '{param} must be a positive integer number of micro-units, as a string',
    ...options,
  });

/** `T` or `null`: null means "none" (or "back to the default") where a field says so. */
export const Nullable = <T extends TSchema>(schema: T, options: Options = {}) =>
  Type.Union([schema, Type.Null()], options);

/** A union of string literals, listed in the document as an enum-like `anyOf` of consts. */
export const OneOf = <const T extends readonly string[]>(values: T, options: Options = {}) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;

/** How many tokens, images, characters or requests: a non-negative integer. */
export const Count = (options: Options = {}) =>
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...options });

/** An HTTP status from an upstream, or 0 when none came back (a connection failure or a timeout). */
export const HttpStatus = (options: Options = {}) => Type.Integer({ minimum: 0, maximum: 999, ...options });

/** A channel's id: a positive int4 identity value. */
export const ChannelId = (options: Options = {}) => Int4({ minimum: 1, ...options });

/** The trace id a message carries for its log lines. */
export const Tid = (options: Options = {}) => Type.String({ maxLength: LIMITS.tidLength, ...options });

/**
 * A W3C `traceparent`, in the body of an item that travels in a batch of
 * many requests' items (outcomes, settlements), so the receiver's span for
 * the item continues that item's own trace.
 */
export const Traceparent = (options: Options = {}) =>
  Type.String({ pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$', maxLength: 55, ...options });

/** A page cursor that is a bigint row id: only a `nextCursor` this API returned. */
export const RowCursor = (options: Options = {}) =>
  Type.String({
    pattern: `^\\d{1,${LIMITS.bigintDigits}}$`,
    errorMessage: '{param} is not one this API returned',
    ...options,
  });

/**
 * A keyset page cursor (several columns, encoded by the service that pages):
 * only a `nextCursor` this API returned.
 */
export const KeysetCursor = (options: Options = {}) =>
  Type.String({
    pattern: '^[A-Za-z0-9_-]{1,120}$',
    errorMessage: '{param} is not one this API returned',
    ...options,
  });

/** A request's trace id as the edge makes it and shows it in `X-Tid`: 32 hex digits. */
export const TraceId = (options: Options = {}) =>
  Type.String({
    pattern: '^[0-9a-fA-F]{32}$',
    errorMessage: '{param} must be a tid: the 32 hex digits of X-Tid or an error body',
    ...options,
  });

/** A size an image price is for, as billing keys it (lower case, see its normalisation), or "*" for any other. */
export const ImageSize = (options: Options = {}) =>
  Type.String({
    pattern: `^(\\*|[a-z0-9][a-z0-9:._-]{0,${LIMITS.imageSizeLength - 1}})$`,
    errorMessage: `{param} must map image sizes (e.g. "1024x1024", or "*" for any other) to prices`,
    ...options,
  });

/** The upstream's name for each model name clients ask for. */
export const ModelMapping = (options: Options = {}) =>
  Type.Record(
    Type.String({ pattern: storablePattern(NOT_BLANK) }),
    Type.String({ minLength: 1, maxLength: LIMITS.nameLength, pattern: storablePattern(NOT_BLANK) }),
    {
      additionalProperties: false,
      maxProperties: LIMITS.listItems,
      errorMessage: `{param} must be an object from requested model name to upstream model name (1 to ${LIMITS.nameLength} characters)`,
      ...options,
    },
  );

/**
 * An item of a batch that its receiver checks against `item` on its own, so
 * that one bad item is reported in that item's result instead of refusing
 * the whole batch. Typed as `item`; the batch's schema accepts any value here.
 */
export const CheckedOneByOne = <T extends TSchema>(_item: T, options: Options = {}) =>
  Type.Unsafe<Static<T>>(Type.Unknown({ description: 'Checked on its own by the receiver', ...options }));
