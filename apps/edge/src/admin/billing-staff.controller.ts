import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  BillingSubjects,
  LEDGER_ENTRY_TYPES,
  parseMoney,
  type BatchAdjustRow,
  type LedgerEntryType,
  type Principal,
} from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import { AdminArea, Caller } from '../principal/admin-principal.js';
import { AdminGuard } from '../principal/admin.guard.js';
import { NATS_BUS } from '../tokens.js';
import { AdminInput, unwrap } from './admin-input.js';
import {
  toBalanceResponse,
  toBatchResponse,
  toGroupResponse,
  toHoldResponse,
  toLedgerResponse,
  toReconcileResponse,
  toUsageResponse,
} from './admin-views.js';
import { ledgerCsv } from './ledger-csv.js';

const bad = (param: string, detail: string) => new DenialException(DenialReason.InvalidRequest, { param, detail });

function optionalDate(value: string | undefined, param: string): string | null {
  if (value === undefined || value === '') return null;
  if (Number.isNaN(Date.parse(value))) throw bad(param, `${param} must be an ISO 8601 date or date-time`);
  return new Date(value).toISOString();
}

function ledgerTypes(value: string | undefined): LedgerEntryType[] | undefined {
  if (!value) return undefined;
  const types = value.split(',').map((t) => t.trim());
  const unknown = types.find((t) => !(LEDGER_ENTRY_TYPES as readonly string[]).includes(t));
  if (unknown) throw bad('type', `type must be among ${LEDGER_ENTRY_TYPES.join(', ')}`);
  return types as LedgerEntryType[];
}

function limitOf(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw bad('limit', 'limit must be an integer 1–1000');
  return limit;
}

/** A batch arrives as JSON rows or as CSV text with the header user_id,amount,reason,idempotency_key. */
function batchRows(input: AdminInput, body: unknown): BatchAdjustRow[] {
  const csv = input.string('csv');
  const raw: unknown[] =
    csv !== undefined ? parseBatchCsv(csv) : (((body as Record<string, unknown>).rows ?? []) as unknown[]);
  if (!Array.isArray(raw) || raw.length === 0) throw bad('rows', 'rows must be a non-empty list (or send csv)');
  if (raw.length > 10_000) throw bad('rows', 'at most 10,000 rows per batch');
  return raw.map((row, index) => {
    const r = AdminInput.of(row);
    const amount = parseMoney(r.string('amount'));
    return {
      userId: r.string('user_id') ?? '',
      amountMicros: amount === null ? String(r.string('amount') ?? '') : amount.toString(),
      reason: r.string('reason') ?? '',
      idempotencyKey: r.string('idempotency_key') ?? `row-${index}`,
    };
  });
}

function parseBatchCsv(text: string): Record<string, string>[] {
  try {
    return parseCsv<Record<string, string>>(text, { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw bad('csv', `csv could not be parsed: ${error instanceof Error ? error.message : 'invalid'}`);
  }
}

/** What billing staff use beyond top-ups: adjustments, batches, holds, ledger, usage, reconcile, group prices. */
@Controller('admin/v1')
@UseGuards(AdminGuard)
@AdminArea('billing')
export class BillingStaffController {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  /** A signed adjustment with a required reason; the same idempotency key twice returns the first result. */
  @Post('users/:userId/adjustments')
  @HttpCode(201)
  async adjust(@Caller() caller: Principal, @Param('userId') userId: string, @Body() body: unknown) {
    const input = AdminInput.of(body);
    const result = unwrap(
      await this.bus.request(BillingSubjects.adjust, {
        userId,
        amountMicros: input.money('amount', { required: true, allowNegative: true }) as string,
        actor: caller.userId,
        reason: input.requiredString('reason'),
        idempotencyKey: input.requiredString('idempotency_key'),
        allowNegative: input.boolean('allow_negative') ?? false,
      }),
    );
    return {
      entry: toLedgerResponse(result.entry),
      balance: toBalanceResponse(result.balance),
      replayed: result.replayed,
    };
  }

  /** Many adjustments at once: a dry run shows each row's effect and error; applying is all-or-nothing. */
  @Post('adjustments/batch')
  async batch(@Caller() caller: Principal, @Body() body: unknown) {
    const input = AdminInput.of(body);
    const result = unwrap(
      await this.bus.request(BillingSubjects.batchAdjust, {
        rows: batchRows(input, body),
        dryRun: input.boolean('dry_run') ?? false,
        actor: caller.userId,
        allowNegative: input.boolean('allow_negative') ?? false,
      }),
    );
    return toBatchResponse(result);
  }

  @Get('users/:userId/holds')
  async holds(@Param('userId') userId: string) {
    const holds = unwrap(await this.bus.request(BillingSubjects.holds, { userId }));
    return { object: 'list', data: holds.map(toHoldResponse) };
  }

  /** Newest first; filters by type and date; `format=csv` exports the page as CSV. */
  @Get('users/:userId/ledger')
  async ledger(
    @Param('userId') userId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('type') type?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('format') format?: string,
  ) {
    if (format !== undefined && format !== 'json' && format !== 'csv')
      throw bad('format', 'format must be json or csv');
    const page = unwrap(
      await this.bus.request(BillingSubjects.ledger, {
        userId,
        limit: limitOf(limit, format === 'csv' ? 1000 : 100),
        cursor: cursor ?? null,
        types: ledgerTypes(type),
        from: optionalDate(from, 'from'),
        to: optionalDate(to, 'to'),
      }),
    );
    if (format === 'csv') {
      void reply.header('content-type', 'text/csv; charset=utf-8');
      if (page.nextCursor) void reply.header('x-next-cursor', page.nextCursor);
      return ledgerCsv(page.data);
    }
    return { object: 'list', data: page.data.map(toLedgerResponse), next_cursor: page.nextCursor };
  }

  /** Usage by user, key, model and day. */
  @Get('usage')
  async usage(
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('user_id') userId?: string,
    @Query('key_id') keyId?: string,
    @Query('model') model?: string,
  ) {
    const report = unwrap(
      await this.bus.request(BillingSubjects.usage, {
        from: optionalDate(from, 'from'),
        to: optionalDate(to, 'to'),
        userId,
        keyId,
        model,
      }),
    );
    return toUsageResponse(report);
  }

  /** Every account's balance against its ledger and open holds; any difference is listed. */
  @Get('reconcile')
  async reconcile() {
    return toReconcileResponse(await this.bus.request(BillingSubjects.reconcile, {}, 30_000));
  }

  @Get('groups')
  async groups() {
    const groups = await this.bus.request(BillingSubjects.listGroupMultipliers, {});
    return { object: 'list', data: groups.map(toGroupResponse) };
  }

  /** A group's price multiplier, e.g. "0.8" for 20% off (up to 4 decimals). */
  @Put('groups/:group/multiplier')
  async setGroupMultiplier(@Param('group') group: string, @Body() body: unknown) {
    const micros = parseMoney(AdminInput.of(body).requiredString('multiplier'));
    if (micros === null || micros < 0n || micros % 100n !== 0n) {
      throw bad('multiplier', 'multiplier must be a non-negative decimal with at most 4 decimals, e.g. "0.8"');
    }
    const view = unwrap(
      await this.bus.request(BillingSubjects.setGroupMultiplier, {
        group,
        multiplierBasisPoints: Number(micros / 100n),
      }),
    );
    return toGroupResponse(view);
  }
}
