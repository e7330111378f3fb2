import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  LIMITS,
  ok,
  refused,
  type HoldOutcomeView,
  type Page,
  type Reply,
  type RequestLogEntryView,
  type RequestLogRequest,
  type RequestTrace,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { LEDGER_COLUMNS, toLedgerEntryView, type LedgerRow } from '../ledger/ledger-entry.js';
import { decodeRequestLogCursor, encodeRequestLogCursor } from './request-log-cursor.js';

const DEFAULT_PAGE = 50;

/** A row of billing.usage_log as pg returns it (bigint as string), with created_at also as exact text. */
interface UsageLogRow {
  id: string;
  tid: string | null;
  hold_id: string;
  user_id: string;
  key_id: string;
  model: string;
  channel_id: number | null;
  http_status: number;
  succeeded: boolean;
  stream: boolean;
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  images: number;
  characters: number;
  audio_seconds: number;
  cost_micros: string;
  created_at: Date;
  created_at_exact: string;
}

const USAGE_LOG_COLUMNS = `u.id, u.tid, u.hold_id, u.user_id, u.key_id, u.model, u.channel_id, u.http_status, u.succeeded,
  u.stream, u.latency_ms, u.input_tokens, u.output_tokens, u.cached_input_tokens, u.cache_write_tokens,
  u.reasoning_tokens, u.images, u.characters, u.audio_seconds, u.cost_micros, u.created_at,
  to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_exact`;

interface HoldRow {
  hold_status: HoldOutcomeView['status'] | null;
  hold_amount_micros: string | null;
  hold_charged_micros: string | null;
  hold_grant_id: string | null;
  hold_created_at: Date | null;
  hold_closed_at: Date | null;
}

/** The ledger lines a request's hold writes, each under its own idempotency key (reserve-hold.sql, settle-hold.sql, expire-holds.sql). */
const HOLD_LEDGER_KEYS = ['hold', 'release', 'charge', 'expiry'] as const;

/**
 * `requests` and `requests.trace`: the usage log read a request at a time,
 * for staff answering "what happened to my request?". Each settled request
 * has one row (usage_log.hold_id is unique); one still in flight, or whose
 * hold expired without a settlement, has none yet.
 */
@Injectable()
export class RequestLogService {
  constructor(private readonly db: DataSource) {}

  /** Newest first; every filter narrows the same indexed keyset walk on (created_at, id). */
  async page(request: RequestLogRequest): Promise<Reply<Page<RequestLogEntryView>>> {
    const limit = request.limit ?? DEFAULT_PAGE;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: (placeholder: string) => string, value: unknown): void => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (request.cursor) {
      const position = decodeRequestLogCursor(request.cursor);
      if (!position) {
        return refused(
          deny(DenialReason.InvalidRequest, { param: 'cursor', detail: 'not a cursor this API returned' }),
        );
      }
      params.push(position.createdAt, position.id);
      where.push(`(u.created_at, u.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    if (request.tid !== undefined) add((p) => `u.tid = ${p}`, request.tid.toLowerCase());
    if (request.userId !== undefined) add((p) => `u.user_id = ${p}`, request.userId);
    if (request.keyId !== undefined) add((p) => `u.key_id = ${p}`, request.keyId);
    if (request.model !== undefined) add((p) => `u.model = ${p}`, request.model);
    if (request.channelId !== undefined) add((p) => `u.channel_id = ${p}`, request.channelId);
    if (request.httpStatus !== undefined) add((p) => `u.http_status = ${p}`, request.httpStatus);
    if (request.succeeded !== undefined) add((p) => `u.succeeded = ${p}`, request.succeeded);
    if (request.from) add((p) => `u.created_at >= ${p}`, new Date(request.from));
    if (request.to) add((p) => `u.created_at < ${p}`, new Date(request.to));
    params.push(limit + 1);
    const rows = await this.db.query<UsageLogRow[]>(
      `SELECT ${USAGE_LOG_COLUMNS} FROM billing.usage_log u
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY u.created_at DESC, u.id DESC
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return ok({
      data: page.map(toRequestLogEntryView),
      nextCursor:
        rows.length > limit && last ? encodeRequestLogCursor({ createdAt: last.created_at_exact, id: last.id }) : null,
    });
  }

  /** Each request settled under a tid, with its hold and the ledger lines of that hold; 404 when there is none. */
  async trace(tid: string): Promise<Reply<RequestTrace>> {
    const lowerTid = tid.toLowerCase();
    const rows = await this.db.query<Array<UsageLogRow & HoldRow>>(
      `SELECT ${USAGE_LOG_COLUMNS}, h.status AS hold_status, h.amount_micros AS hold_amount_micros,
              h.charged_micros AS hold_charged_micros, h.grant_id AS hold_grant_id,
              h.created_at AS hold_created_at, h.closed_at AS hold_closed_at
         FROM billing.usage_log u LEFT JOIN billing.holds h ON h.id = u.hold_id
        WHERE u.tid = $1
        ORDER BY u.created_at, u.id
        LIMIT ${LIMITS.traceRequests}`,
      [lowerTid],
    );
    if (rows.length === 0) {
      return refused(deny(DenialReason.ResourceNotFound, { detail: `no request settled with tid ${lowerTid}` }));
    }
    // Found through the ledger's unique idempotency keys, which are indexed, rather than by hold_id, which is not.
    const keys = rows.flatMap((row) => HOLD_LEDGER_KEYS.map((type) => `${type}:${row.hold_id}`));
    const ledger = await this.db.query<LedgerRow[]>(
      `SELECT ${LEDGER_COLUMNS} FROM billing.ledger WHERE idempotency_key = ANY($1::text[]) ORDER BY id`,
      [keys],
    );
    return ok({
      tid: lowerTid,
      requests: rows.map((row) => ({
        request: toRequestLogEntryView(row),
        hold: toHoldOutcomeView(row),
        ledger: ledger.filter((line) => line.hold_id === row.hold_id).map(toLedgerEntryView),
      })),
    });
  }
}

function toRequestLogEntryView(row: UsageLogRow): RequestLogEntryView {
  return {
    id: String(row.id),
    tid: row.tid,
    holdId: row.hold_id,
    userId: row.user_id,
    keyId: row.key_id,
    model: row.model,
    channelId: row.channel_id,
    httpStatus: row.http_status,
    succeeded: row.succeeded,
    stream: row.stream,
    latencyMs: row.latency_ms,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedInputTokens: row.cached_input_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    reasoningTokens: row.reasoning_tokens,
    images: row.images,
    characters: row.characters,
    audioSeconds: row.audio_seconds,
    costMicros: String(row.cost_micros),
    createdAt: row.created_at.toISOString(),
  };
}

function toHoldOutcomeView(row: UsageLogRow & HoldRow): HoldOutcomeView | null {
  if (row.hold_status === null || row.hold_amount_micros === null || row.hold_created_at === null) return null;
  return {
    holdId: row.hold_id,
    status: row.hold_status,
    heldMicros: String(row.hold_amount_micros),
    chargedMicros: row.hold_charged_micros === null ? null : String(row.hold_charged_micros),
    grantId: row.hold_grant_id,
    createdAt: row.hold_created_at.toISOString(),
    closedAt: row.hold_closed_at === null ? null : row.hold_closed_at.toISOString(),
  };
}
