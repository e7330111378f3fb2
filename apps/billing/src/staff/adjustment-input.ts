import { ok, type Reply } from '@tollgate/contracts';
import { parseMicros } from '@tollgate/contracts';
import { checkShape, invalid, isRecord, isText, isUuid } from '../request-checks.js';
import type { AdjustmentLine } from './adjustment-ledger.js';

/** Keys of the ledger rows billing writes itself; staff keys may not collide with them. */
const RESERVED_KEY = /^(hold|charge|release|expiry):/;
export const MAX_BATCH_ROWS = 5000;

export interface CheckedAdjustment {
  line: AdjustmentLine;
  actor: string;
  allowNegative: boolean;
}

export interface RejectedRow {
  error: string;
  userId: string;
  amountMicros: string;
  idempotencyKey: string;
}

export interface CheckedBatch {
  actor: string;
  dryRun: boolean;
  allowNegative: boolean;
  /** One entry per request row: a line, or why the row is not acceptable. */
  rows: Array<{ line: AdjustmentLine } | RejectedRow>;
}

export function checkTopUp(input: unknown): Reply<CheckedAdjustment> {
  const shape = checkShape(input, ['userId', 'amountMicros', 'actor', 'reason', 'idempotencyKey']);
  if (!shape.ok) return shape;
  const { amountMicros, reason } = shape.value;
  const amount = parseMicros(amountMicros);
  if (amount === null || amount === 0n) {
    return invalid('amountMicros', 'amountMicros must be a positive integer number of micro-units, as a string');
  }
  const who = checkWho(shape.value);
  if (!who.ok) return who;
  if (reason !== undefined && reason !== null && (typeof reason !== 'string' || reason.length > 500)) {
    return invalid('reason', 'reason must be text of at most 500 characters');
  }
  const { userId, actor, idempotencyKey } = who.value;
  const note = typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : null;
  return ok({ line: { userId, type: 'topup', amount, reason: note, idempotencyKey }, actor, allowNegative: false });
}

export function checkAdjust(input: unknown): Reply<CheckedAdjustment> {
  const shape = checkShape(input, ['userId', 'amountMicros', 'actor', 'reason', 'idempotencyKey', 'allowNegative']);
  if (!shape.ok) return shape;
  const { allowNegative } = shape.value;
  const line = checkAdjustmentLine(shape.value);
  if (!line.ok) return line;
  const who = checkWho(shape.value);
  if (!who.ok) return who;
  if (allowNegative !== undefined && typeof allowNegative !== 'boolean') {
    return invalid('allowNegative', 'allowNegative must be a boolean');
  }
  return ok({ line: line.value, actor: who.value.actor, allowNegative: allowNegative === true });
}

/** Request-level problems refuse the batch; row-level problems are reported per row. */
export function checkBatch(input: unknown): Reply<CheckedBatch> {
  const shape = checkShape(input, ['rows', 'dryRun', 'actor', 'allowNegative']);
  if (!shape.ok) return shape;
  const { rows, dryRun, actor, allowNegative } = shape.value;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > MAX_BATCH_ROWS) {
    return invalid('rows', `rows must be a list of 1 to ${MAX_BATCH_ROWS} adjustments`);
  }
  if (typeof dryRun !== 'boolean') return invalid('dryRun', 'dryRun must be true or false');
  if (!isText(actor, 200)) return invalid('actor', 'actor is required');
  if (allowNegative !== undefined && typeof allowNegative !== 'boolean') {
    return invalid('allowNegative', 'allowNegative must be a boolean');
  }
  return ok({ actor: actor.trim(), dryRun, allowNegative: allowNegative === true, rows: rows.map(checkBatchRow) });
}

function checkBatchRow(row: unknown): { line: AdjustmentLine } | RejectedRow {
  const fields = isRecord(row) ? row : {};
  const rejected = (param: string | undefined, detail: string | undefined): RejectedRow => ({
    error: `${param ?? 'row'}: ${detail ?? 'invalid'}`,
    userId: echo(fields['userId']),
    amountMicros: echo(fields['amountMicros']),
    idempotencyKey: echo(fields['idempotencyKey']),
  });
  const shape = checkShape(row, ['userId', 'amountMicros', 'reason', 'idempotencyKey']);
  if (!shape.ok) return rejected(shape.denial.params?.param, shape.denial.params?.detail);
  const line = checkAdjustmentLine(shape.value);
  return line.ok ? { line: line.value } : rejected(line.denial.params?.param, line.denial.params?.detail);
}

/** A rejected row's field as it was sent, for the row report. */
const echo = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);

/** userId, a signed non-zero amount, a reason and an idempotency key. */
function checkAdjustmentLine(fields: Record<string, unknown>): Reply<AdjustmentLine> {
  const { userId, amountMicros, reason, idempotencyKey } = fields;
  if (!isUuid(userId)) return invalid('userId', 'userId must be a uuid');
  const amount = parseMicros(amountMicros, { signed: true });
  if (amount === null || amount === 0n) {
    return invalid('amountMicros', 'amountMicros must be a non-zero signed integer number of micro-units, as a string');
  }
  if (!isText(reason, 500)) return invalid('reason', 'reason is required (at most 500 characters)');
  const key = checkIdempotencyKey(idempotencyKey);
  if (!key.ok) return key;
  // PostgreSQL hands uuids back in lower case; compare like with like.
  return ok({
    userId: userId.toLowerCase(),
    type: 'adjustment',
    amount,
    reason: reason.trim(),
    idempotencyKey: key.value,
  });
}

function checkWho(fields: Record<string, unknown>): Reply<{ userId: string; actor: string; idempotencyKey: string }> {
  const { userId, actor, idempotencyKey } = fields;
  if (!isUuid(userId)) return invalid('userId', 'userId must be a uuid');
  if (!isText(actor, 200)) return invalid('actor', 'actor is required');
  const key = checkIdempotencyKey(idempotencyKey);
  if (!key.ok) return key;
  return ok({ userId: userId.toLowerCase(), actor: actor.trim(), idempotencyKey: key.value });
}

function checkIdempotencyKey(value: unknown): Reply<string> {
  if (!isText(value, 200)) return invalid('idempotencyKey', 'idempotencyKey is required (at most 200 characters)');
  if (RESERVED_KEY.test(value)) {
    return invalid('idempotencyKey', 'idempotencyKey may not start with hold:, charge:, release: or expiry:');
  }
  return ok(value);
}
