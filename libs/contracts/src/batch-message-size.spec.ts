import { describe, expect, it } from '@jest/globals';
import { Type, type TSchema } from '@tollgate/typebox';
import { AuthSubjects, NamesReply, NamesRequest } from './auth.contract.js';
import {
  BATCH_ROW_ERRORS,
  BATCH_ROW_STATUSES,
  BatchAdjustResult,
  BatchAdjustRowResult,
  BatchRowMessage,
  LedgerEntryView,
  RequestLogEntryView,
  RequestTrace,
  StageBatchRowsRequest,
  type BatchAdjustRow,
} from './billing.contract.js';
import { AdmissionBatch, RETURN_REASONS, ReturnGrantsRequest } from './grants.contract.js';
import { IdempotencyKey, LIMITS, ModelName, Name, Reason, Tid, Uuid } from './schema/fields.js';
import { compile } from './schema/validator.js';

/**
 * The messages about a batch that could grow with it are sized here from the
 * contracts, not by hope: each is built at its worst — as many items as
 * LIMITS allows, every text field as long as its schema allows, made of the
 * character that costs the most bytes of JSON among those the schema accepts
 * — and measured as it crosses NATS (Nest's packet around it, and headers).
 * "Well under" the server's limit means at most half of it.
 */
const BUDGET = LIMITS.natsMaxPayloadBytes / 2;
/** The tid header and NATS's own header line, generously. */
const HEADERS = 1024;
/** The largest request id NatsBus numbers a request with. */
const REQUEST_ID = String(Number.MAX_SAFE_INTEGER);

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** Every UTF-16 code unit that is a character on its own (not half a surrogate pair), costliest in JSON first. */
const CHARACTERS = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code))
  .filter((char) => !/[\uD800-\uDFFF]/.test(char))
  .sort((a, b) => jsonBytes(b) - jsonBytes(a));

/**
 * The longest text `schema` accepts, of its costliest character. A pair of
 * surrogates is 4 bytes of UTF-8 for 2 code units, never more per unit than
 * the 3 of a character from U+0800 on, so a string of one character is the
 * worst any text of that length can be.
 */
function worstText(schema: TSchema, length: number): string {
  const accepts = compile(schema).is;
  const char = CHARACTERS.find((candidate) => accepts(candidate.repeat(length)));
  if (char === undefined) throw new Error(`no text of ${length} characters passes ${JSON.stringify(schema)}`);
  const text = char.repeat(length);
  const pairs = '\u{10FFFF}'.repeat(Math.floor(length / 2));
  if (accepts(pairs)) expect(jsonBytes(text)).toBeGreaterThanOrEqual(jsonBytes(pairs));
  return text;
}

const longest = (words: readonly string[]): string => words.reduce((a, b) => (b.length > a.length ? b : a));

const UUID = 'ffffffff-ffff-4fff-bfff-ffffffffffff';
/** A bigint column's widest value (a balance, a ledger entry id), whatever the schemas say. */
const BIGINT = `-${'9'.repeat(LIMITS.bigintDigits)}`;
const MICROS = `-${'9'.repeat(LIMITS.moneyWholeDigits + LIMITS.moneyFractionDigits)}`;

/** As Nest's NATS server sends a reply, and NatsBus a request. */
const reply = (response: unknown) => ({ response: { ok: true, value: response }, isDisposed: true, id: REQUEST_ID });
const request = (pattern: string, data: unknown) => ({ pattern, data, id: REQUEST_ID });

describe('the size of every message about a batch', () => {
  const message = worstText(BatchRowMessage(), LIMITS.batchRowMessageLength);
  const key = worstText(IdempotencyKey(), LIMITS.idempotencyKeyLength);
  const reason = worstText(Reason(), LIMITS.reasonLength);

  it('uses only values the contracts accept', () => {
    expect(compile(Uuid()).is(UUID)).toBe(true);
    expect(compile(BatchRowMessage()).is(message)).toBe(true);
    expect(compile(IdempotencyKey()).is(key)).toBe(true);
    expect(compile(Reason()).is(reason)).toBe(true);
  });

  it(`answers a batch of ${LIMITS.batchRows} failed rows well under NATS's max_payload`, () => {
    const worst = {
      batchId: UUID,
      dryRun: false,
      applied: false,
      counts: Object.fromEntries(BATCH_ROW_STATUSES.map((status) => [status, LIMITS.batchRows])),
      failedRows: Array.from({ length: LIMITS.batchRows }, () => ({
        index: LIMITS.batchRows - 1,
        userId: UUID,
        error: longest(BATCH_ROW_ERRORS),
        message,
      })),
    };
    expect(compile(BatchAdjustResult).is(worst)).toBe(true);

    expect(jsonBytes(reply(worst)) + HEADERS).toBeLessThanOrEqual(BUDGET);
  });

  it(`answers a page of ${LIMITS.batchRowsPage} row results well under NATS's max_payload`, () => {
    const row = {
      index: LIMITS.batchRows - 1,
      userId: UUID,
      amountMicros: MICROS,
      idempotencyKey: key,
      status: longest(BATCH_ROW_STATUSES),
      balanceBeforeMicros: BIGINT,
      balanceAfterMicros: BIGINT,
      entryId: BIGINT,
      error: longest(BATCH_ROW_ERRORS),
      message,
    };
    // Every field is typed as the schema says (the numbers are a bigint column's width, past its pattern).
    expect(compile(BatchAdjustRowResult).is({ ...row, balanceBeforeMicros: null, balanceAfterMicros: null })).toBe(
      true,
    );
    const page = { data: Array.from({ length: LIMITS.batchRowsPage }, () => row), nextCursor: BIGINT };

    expect(jsonBytes(reply(page)) + HEADERS).toBeLessThanOrEqual(BUDGET);
  });

  it('stages rows in parts that hold at least one row and stay well under it', () => {
    const row: BatchAdjustRow = { userId: UUID, amountMicros: MICROS, reason, idempotencyKey: key };
    const onePart = { batchId: UUID, offset: LIMITS.batchRows - 1, rows: [row] };
    expect(compile(StageBatchRowsRequest).is(onePart)).toBe(true);
    // The largest allowed batch does not fit in one message: this is why it is staged in parts.
    expect(jsonBytes(Array.from({ length: LIMITS.batchRows }, () => row))).toBeGreaterThan(LIMITS.natsMaxPayloadBytes);

    // A part's rows are at most batchPartBytes of JSON; its envelope is what else the message holds.
    const envelope = jsonBytes(request('tollgate.billing.adjust.batch.stage', { ...onePart, rows: [] }));
    expect(LIMITS.batchPartBytes + envelope + HEADERS).toBeLessThanOrEqual(BUDGET);
    expect(jsonBytes([row])).toBeLessThanOrEqual(LIMITS.batchPartBytes);
  });
});

describe('the size of the messages about credit grants', () => {
  const POSITIVE_MICROS = '9'.repeat(LIMITS.moneyWholeDigits + LIMITS.moneyFractionDigits);

  it(`returns ${LIMITS.grantReturns} grants in one request well under NATS's max_payload`, () => {
    const worst = {
      edgeId: UUID,
      returns: Array.from({ length: LIMITS.grantReturns }, () => ({
        grantId: UUID,
        admittedMicros: POSITIVE_MICROS,
        admissions: LIMITS.int4,
        reason: longest(RETURN_REASONS),
      })),
    };
    expect(compile(ReturnGrantsRequest).is(worst)).toBe(true);
    expect(jsonBytes(request('tollgate.billing.grants.return', worst)) + HEADERS).toBeLessThanOrEqual(BUDGET);
  });

  it(`appends the ${LIMITS.admissionsPerMessage} admission records of one JetStream message well under it`, () => {
    const record = {
      admissionId: UUID,
      grantId: UUID,
      edgeId: UUID,
      tid: worstText(Tid(), LIMITS.tidLength),
      userId: UUID,
      keyId: UUID,
      model: worstText(ModelName(), LIMITS.nameLength),
      amountMicros: POSITIVE_MICROS,
      admittedAt: '2026-12-31T23:59:59.999999999+14:00',
    };
    const worst = { admissions: Array.from({ length: LIMITS.admissionsPerMessage }, () => record) };
    expect(compile(AdmissionBatch).is(worst)).toBe(true);
    expect(jsonBytes(worst) + HEADERS).toBeLessThanOrEqual(BUDGET);
  });
});

describe("the size of the request log's messages", () => {
  /** A model staff priced (billing reserves no other) and a tid, each as long and as costly as its schema allows. */
  const model = worstText(ModelName(), LIMITS.nameLength);
  const tid = worstText(Tid(), LIMITS.tidLength);
  const COUNT = Number.MAX_SAFE_INTEGER;
  const entry = {
    id: BIGINT,
    tid,
    holdId: UUID,
    userId: UUID,
    keyId: UUID,
    model,
    channelId: LIMITS.int4,
    httpStatus: 999,
    succeeded: false,
    stream: false,
    latencyMs: COUNT,
    inputTokens: COUNT,
    outputTokens: COUNT,
    cachedInputTokens: COUNT,
    cacheWriteTokens: COUNT,
    reasoningTokens: COUNT,
    images: COUNT,
    characters: COUNT,
    audioSeconds: COUNT,
    costMicros: '9'.repeat(LIMITS.moneyWholeDigits + LIMITS.moneyFractionDigits),
    createdAt: '2026-12-02T16:06:52.123Z',
  };

  it(`answers a part of ${LIMITS.requestLogPart} requests well under NATS's max_payload`, () => {
    expect(compile(RequestLogEntryView).is(entry)).toBe(true);
    // The cursor: base64url of created_at to the microsecond and a bigint id.
    const page = { data: Array.from({ length: LIMITS.requestLogPart }, () => entry), nextCursor: 'x'.repeat(60) };

    expect(jsonBytes(reply(page)) + HEADERS).toBeLessThanOrEqual(BUDGET);
  });

  it(`answers the trace of ${LIMITS.traceRequests} requests under one tid, with their ledger lines, well under it`, () => {
    const line = {
      id: BIGINT,
      userId: UUID,
      type: 'release',
      amountMicros: MICROS,
      balanceAfterMicros: MICROS,
      holdId: UUID,
      actor: worstText(Name(), LIMITS.nameLength),
      reason: worstText(Reason(), LIMITS.reasonLength),
      tid,
      idempotencyKey: worstText(IdempotencyKey(), LIMITS.idempotencyKeyLength),
      createdAt: '2026-12-02T16:06:52.123Z',
    };
    expect(compile(LedgerEntryView).is(line)).toBe(true);
    const hold = {
      holdId: UUID,
      status: 'released',
      heldMicros: MICROS.slice(1),
      chargedMicros: MICROS.slice(1),
      grantId: UUID,
      createdAt: '2026-12-02T16:06:52.123Z',
      closedAt: '2026-12-02T16:06:52.123Z',
    };
    // A hold's lines: hold, release and charge, or hold and expiry.
    const traced = { request: entry, hold, ledger: [line, line, line] };
    const trace = { tid, requests: Array.from({ length: LIMITS.traceRequests }, () => traced) };
    expect(compile(RequestTrace).is(trace)).toBe(true);

    expect(jsonBytes(reply(trace)) + HEADERS).toBeLessThanOrEqual(BUDGET);
  });
});

describe('the size of the names the admin API asks of auth', () => {
  it(`answers ${LIMITS.nameLookupIds} users and as many keys, every name at its worst, well under NATS's max_payload`, () => {
    // A key's name as auth's contract takes it (any text up to the length), the costliest there is.
    const name = worstText(Type.String({ maxLength: LIMITS.nameLength }), LIMITS.nameLength);
    const named = Array.from({ length: LIMITS.nameLookupIds }, () => ({ id: UUID, name }));
    const worst = { users: named, keys: named };
    expect(compile(NamesReply).is(worst)).toBe(true);
    expect(jsonBytes(reply(worst)) + HEADERS).toBeLessThanOrEqual(BUDGET);

    const ids = Array.from({ length: LIMITS.nameLookupIds }, () => UUID);
    const ask = { userIds: ids, keyIds: ids };
    expect(compile(NamesRequest).is(ask)).toBe(true);
    expect(jsonBytes(request(AuthSubjects.names.name, ask)) + HEADERS).toBeLessThanOrEqual(BUDGET);
  });
});
