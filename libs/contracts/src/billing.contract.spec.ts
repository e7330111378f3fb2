import { describe, expect, it } from '@jest/globals';
import {
  BatchAdjustRequest,
  BatchAdjustRow,
  BatchRowsRequest,
  BillingSubjects,
  GroupMultiplierInput,
  LedgerRequest,
  PriceInput,
  Settlement,
  SettlementBatch,
  StageBatchRowsRequest,
  TopUpRequest,
  Usage,
} from './billing.contract.js';
import { LIMITS } from './schema/fields.js';
import { describeSubjects, refusedParam, type Examples } from './testing/subject-cases.js';

const USER = '3f2c1a9e-5b7d-4e21-9c8a-1d2e3f4a5b6c';
const KEY = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const HOLD = '0b7f5c0e-8f4a-4d0e-9a53-2f1f5b0d6c11';
const BATCH = '5d0c9f3e-7a2b-4c6d-8e1f-0a9b8c7d6e5f';

const row = { userId: USER, amountMicros: '-2500000', reason: 'refund', idempotencyKey: 'refund-7' };

const examples: Examples<typeof BillingSubjects> = {
  reserve: {
    holdId: HOLD,
    userId: USER,
    keyId: KEY,
    keySuffix: 'a1B2c3',
    group: 'default',
    model: 'gpt-4o',
    rpmLimit: null,
    budgetMicros: '1000000',
    estimate: { inputTokens: 100, outputTokens: 50, images: 0, imageSize: null, characters: 0 },
  },
  setPrice: {
    model: 'gpt-image-1',
    inputPerMillionMicros: '5000000',
    imagePriceMicros: { '1024x1024': '40000' },
    cachedInputPerMillionMicros: '1250000',
    cacheWritePerMillionMicros: null,
  },
  listPrices: {},
  topUp: { userId: USER, amountMicros: '10000000', actor: USER, reason: 'invoice 42', idempotencyKey: 'inv-42' },
  balance: { userId: USER },
  ledger: { userId: USER, limit: 100, cursor: '42', types: ['charge'], from: '2026-01-01T00:00:00Z', to: null },
  ping: {},
  adjust: { ...row, actor: USER, allowNegative: true },
  stageBatchRows: { batchId: BATCH, offset: 0, rows: [row] },
  batchAdjust: { batchId: BATCH, rowCount: 1, dryRun: true, actor: USER },
  batchRows: { batchId: BATCH, limit: LIMITS.batchRowsPage, cursor: '41' },
  setGroupMultiplier: { group: 'vip', multiplierBasisPoints: 8000 },
  listGroupMultipliers: {},
  holds: { userId: USER },
  grants: { userId: USER },
  acquireGrant: {
    grantId: HOLD,
    edgeId: BATCH,
    userId: USER,
    keyId: KEY,
    keySuffix: 'abc123',
    group: 'default',
    model: 'gpt-4o',
    rpmLimit: null,
    budgetMicros: null,
    wantRequests: 64,
    wantMicros: '12800',
    unitMicros: '200',
  },
  returnGrants: {
    edgeId: BATCH,
    returns: [{ grantId: HOLD, admittedMicros: '400', admissions: 2, reason: 'idle' }],
  },
  grantsReclaim: { reason: 'needed_elsewhere', grantIds: [HOLD] },
  usage: { from: '2026-01-01T00:00:00Z', userId: USER, keyId: KEY, model: 'gpt-4o', limit: 10 },
  requests: {
    userId: USER,
    model: 'gpt-4o',
    channelId: 3,
    httpStatus: 502,
    succeeded: false,
    from: '2026-01-01T00:00:00Z',
    to: null,
    limit: 200,
    cursor: 'MjAyNi0xMi0wMlQxNjowNjo1Mi4xMjM0NTZaIDU',
  },
  requestTrace: { tid: '4bf92f3577b34da6a3ce929d0e0e4736' },
  reconcile: {},
  pricesChanged: { models: ['gpt-4o'] },
};

describe('BillingSubjects', () => {
  describeSubjects(BillingSubjects, examples);
});

describe('billing requests', () => {
  it.each([
    ['0', 'amountMicros'],
    ['-5', 'amountMicros'],
    ['1.5', 'amountMicros'],
    ['1e3', 'amountMicros'],
  ])('takes only positive micro-unit strings for a top-up: refuses %p', (amountMicros, param) => {
    expect(refusedParam(TopUpRequest, { ...examples.topUp, amountMicros })).toBe(param);
  });

  it('keeps the idempotency keys billing writes itself for itself', () => {
    expect(refusedParam(TopUpRequest, { ...examples.topUp, idempotencyKey: `hold:${HOLD}` })).toBe('idempotencyKey');
  });

  it(`stages 1 to ${LIMITS.batchRows} rows of a batch, each checked, and runs up to ${LIMITS.batchRows}`, () => {
    const stage = examples.stageBatchRows;
    expect(refusedParam(StageBatchRowsRequest, { ...stage, rows: [] })).toBe('rows');
    const full = Array.from({ length: LIMITS.batchRows }, () => row);
    expect(refusedParam(StageBatchRowsRequest, { ...stage, rows: full })).toBeNull();
    expect(refusedParam(StageBatchRowsRequest, { ...stage, rows: [...full, row] })).toBe('rows');
    expect(refusedParam(StageBatchRowsRequest, { ...stage, offset: LIMITS.batchRows })).toBe('offset');
    // A malformed row refuses its part, named by its place in it.
    expect(refusedParam(StageBatchRowsRequest, { ...stage, rows: [row, { ...row, amountMicros: '0' }] })).toBe(
      'rows[1].amountMicros',
    );
    expect(refusedParam(BatchAdjustRow, { ...row, force: true })).toBe('force');
    expect(refusedParam(BatchAdjustRequest, { ...examples.batchAdjust, rowCount: 0 })).toBe('rowCount');
    expect(refusedParam(BatchAdjustRequest, { ...examples.batchAdjust, rowCount: LIMITS.batchRows + 1 })).toBe(
      'rowCount',
    );
    expect(refusedParam(BatchAdjustRequest, { ...examples.batchAdjust, batchId: 'b-1' })).toBe('batchId');
    expect(refusedParam(BatchRowsRequest, { ...examples.batchRows, limit: LIMITS.batchRowsPage + 1 })).toBe('limit');
    expect(refusedParam(BatchRowsRequest, { ...examples.batchRows, cursor: 'next' })).toBe('cursor');
  });

  it.each([
    [{ inputPerMillionMicros: '-1' }, 'inputPerMillionMicros'],
    [{ colour: 'red' }, 'colour'],
    [{ imagePriceMicros: { '1024x1024': '-1' } }, 'image_prices.1024x1024'],
    [{ model: '' }, 'model'],
    [{ cachedInputPerMillionMicros: '0.5' }, 'cachedInputPerMillionMicros'],
    [{ cacheWritePerMillionMicros: 3 }, 'cacheWritePerMillionMicros'],
    [{ reasoningPerMillionMicros: '-1' }, 'reasoningPerMillionMicros'],
  ])('refuses a price with %j, naming %s', (change, param) => {
    expect(refusedParam(PriceInput, { ...examples.setPrice, ...change })).toBe(param);
  });

  it.each([
    [{ multiplierBasisPoints: 0.8 }, 'multiplierBasisPoints'],
    [{ multiplierBasisPoints: -1 }, 'multiplierBasisPoints'],
    [{ multiplierBasisPoints: LIMITS.multiplierBasisPoints + 1 }, 'multiplierBasisPoints'],
    [{ multiplierBasisPoints: '8000' }, 'multiplierBasisPoints'],
    [{ group: 'v i p' }, 'group'],
    [{ multiplier: '0.8' }, 'multiplier'],
  ])('refuses a group multiplier with %j, naming %s', (change, param) => {
    expect(refusedParam(GroupMultiplierInput, { ...examples.setGroupMultiplier, ...change })).toBe(param);
  });

  it.each([
    [{ cursor: 'abc' }, 'cursor'],
    [{ types: ['bogus'] }, 'type'],
    [{ from: 'yesterday' }, 'from'],
    [{ limit: LIMITS.ledgerPage + 1 }, 'limit'],
  ])('refuses a ledger query with %j, naming %s', (change, param) => {
    expect(refusedParam(LedgerRequest, { ...examples.ledger, ...change })).toBe(param);
  });

  it('checks each settlement of a batch on its own', () => {
    const settlement: Settlement = {
      holdId: HOLD,
      tid: '4bf92f3577b34da6a3ce929d0e0e4736',
      userId: USER,
      keyId: KEY,
      model: 'gpt-4o',
      channelId: null,
      succeeded: false,
      usage: { inputTokens: 0, outputTokens: 0, images: 0, characters: 0 },
      httpStatus: 0,
      latencyMs: 0,
      stream: false,
    };
    expect(refusedParam(SettlementBatch, { settlements: [settlement, { holdId: 'x' }] })).toBeNull();
    expect(refusedParam(SettlementBatch, { settlements: 'x' })).toBe('settlements');
  });

  it('takes a settlement without the token parts, as edges before them send it, and checks them when present', () => {
    const settlement: Settlement = {
      holdId: HOLD,
      tid: '4bf92f3577b34da6a3ce929d0e0e4736',
      userId: USER,
      keyId: KEY,
      model: 'gpt-4o',
      channelId: 1,
      succeeded: true,
      usage: { inputTokens: 10, outputTokens: 2, images: 0, characters: 0 },
      httpStatus: 200,
      latencyMs: 5,
      stream: false,
    };
    expect(refusedParam(Settlement, settlement)).toBeNull();
    const parts = { cachedInputTokens: 4, cacheWriteTokens: 1, reasoningTokens: 2 };
    expect(refusedParam(Settlement, { ...settlement, usage: { ...settlement.usage, ...parts } })).toBeNull();
    expect(refusedParam(Settlement, { ...settlement, usage: { ...settlement.usage, reasoningTokens: -1 } })).toBe(
      'usage.reasoningTokens',
    );
    expect(refusedParam(Usage, { ...settlement.usage, cachedInputTokens: 0, cacheWriteTokens: 0 })).toBe(
      'reasoningTokens',
    );
  });
});
