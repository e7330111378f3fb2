import { randomUUID } from 'node:crypto';
import { Controller, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ADMIN_ROUTES as R,
  BillingSubjects,
  normalizeIdempotencyKey,
  type BatchAdjustRow,
  type LedgerEntryType,
  type Principal,
} from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { Checked, Serve, type CheckedInput } from '../http/route.decorator.js';
import { Caller } from '../principal/admin-principal.js';
import { NATS_BUS } from '../tokens.js';
import { instant, moneyToMicros, unwrap } from './admin-input.js';
import {
  sendAdjustment,
  toBatchResponse,
  toBatchRowResponse,
  toGroupResponse,
  toGrantResponse,
  toHoldResponse,
  ledgerNameIds,
  toNamedLedgerResponse,
  toReconcileResponse,
  toUsageResponse,
  userKeyNameIds,
} from './admin-views.js';
import { batchParts } from './batch-parts.js';
import { batchRowsOf } from './batch-rows.js';
import { refuseOwnAccount } from './own-account.js';
import { ledgerCsv } from './ledger-csv.js';
import { namesOf, namesOverBus, type NamesAsker } from './names.js';

/**
 * A batch applies up to LIMITS.batchRows rows in one transaction: it gets
 * longer than other requests, so that a batch that commits is not answered
 * 503 while billing is still at it.
 */
const BATCH_TIMEOUT_MS = 30_000;

/** What billing staff use beyond top-ups: adjustments, batches, holds, ledger, usage, reconcile, group prices. */
@Controller()
export class BillingStaffController {
  private readonly askNames: NamesAsker;

  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {
    this.askNames = namesOverBus(bus);
  }

  /** A signed adjustment with a required reason; the same idempotency key twice returns the first result. */
  @Serve(R.adjust)
  async adjust(
    @Caller() caller: Principal,
    @Checked() { params, body }: CheckedInput<typeof R.adjust>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    refuseOwnAccount(caller, [params.user_id]);
    const result = unwrap(
      await this.bus.request(BillingSubjects.adjust, {
        userId: params.user_id,
        amountMicros: moneyToMicros(body.amount),
        actor: caller.userId,
        reason: body.reason,
        idempotencyKey: normalizeIdempotencyKey(body.idempotency_key),
        allowNegative: body.allow_negative ?? false,
      }),
    );
    sendAdjustment(reply, result);
  }

  /**
   * Many adjustments at once: a dry run shows each row's effect and error;
   * applying is all-or-nothing. The rows are staged with billing in parts,
   * then the batch runs; the answer is its counts and failed rows.
   */
  @Serve(R.batchAdjust)
  async batch(@Caller() caller: Principal, @Checked() { body }: CheckedInput<typeof R.batchAdjust>) {
    const checked = batchRowsOf(body);
    refuseOwnAccount(
      caller,
      checked.map((row) => row.user_id),
    );
    const rows: BatchAdjustRow[] = checked.map((row) => ({
      userId: row.user_id,
      amountMicros: moneyToMicros(row.amount),
      reason: row.reason,
      idempotencyKey: normalizeIdempotencyKey(row.idempotency_key),
    }));
    const batchId = randomUUID();
    for (const part of batchParts(rows)) {
      unwrap(
        await this.bus.request(
          BillingSubjects.stageBatchRows,
          { batchId, offset: part.offset, rows: part.rows },
          BATCH_TIMEOUT_MS,
        ),
      );
    }
    const result = unwrap(
      await this.bus.request(
        BillingSubjects.batchAdjust,
        {
          batchId,
          rowCount: rows.length,
          dryRun: body.dry_run ?? false,
          actor: caller.userId,
          allowNegative: body.allow_negative ?? false,
        },
        BATCH_TIMEOUT_MS,
      ),
    );
    return toBatchResponse(result);
  }

  /** Every row's result of a batch, in row order. */
  @Serve(R.listBatchRows)
  async batchRows(@Checked() { params, query }: CheckedInput<typeof R.listBatchRows>) {
    const page = unwrap(
      await this.bus.request(BillingSubjects.batchRows, {
        batchId: params.batch_id,
        limit: query.limit,
        cursor: query.cursor ?? null,
      }),
    );
    return { object: 'list' as const, data: page.data.map(toBatchRowResponse), next_cursor: page.nextCursor };
  }

  @Serve(R.listHolds)
  async holds(@Checked() { params }: CheckedInput<typeof R.listHolds>) {
    const holds = unwrap(await this.bus.request(BillingSubjects.holds, { userId: params.user_id }));
    return { object: 'list' as const, data: holds.map(toHoldResponse) };
  }

  @Serve(R.listGrants)
  async grants(@Checked() { params }: CheckedInput<typeof R.listGrants>) {
    const grants = unwrap(await this.bus.request(BillingSubjects.grants, { userId: params.user_id }));
    return { object: 'list' as const, data: grants.map(toGrantResponse) };
  }

  /** Newest first; filters by type, date and tid; `format=csv` exports the page as CSV. */
  @Serve(R.ledger)
  async ledger(
    @Checked() { params, query }: CheckedInput<typeof R.ledger>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const csv = query.format === 'csv';
    const page = unwrap(
      await this.bus.request(BillingSubjects.ledger, {
        userId: params.user_id,
        limit: query.limit ?? (csv ? 1000 : 100),
        cursor: query.cursor ?? null,
        types: query.type?.split(',') as LedgerEntryType[] | undefined,
        from: instant(query.from),
        to: instant(query.to),
        tid: query.tid ?? null,
      }),
    );
    const names = await namesOf(this.askNames, ledgerNameIds(page.data));
    if (csv) {
      void reply.header('content-type', 'text/csv; charset=utf-8');
      if (page.nextCursor) void reply.header('x-next-cursor', page.nextCursor);
      return ledgerCsv(page.data, names);
    }
    return {
      object: 'list' as const,
      data: page.data.map((entry) => toNamedLedgerResponse(entry, names)),
      next_cursor: page.nextCursor,
    };
  }

  /** Usage by user, key, model and day. */
  @Serve(R.usage)
  async usage(@Checked() { query }: CheckedInput<typeof R.usage>) {
    const report = unwrap(
      await this.bus.request(BillingSubjects.usage, {
        from: instant(query.from),
        to: instant(query.to),
        userId: query.user_id,
        keyId: query.key_id,
        model: query.model,
        limit: query.limit,
      }),
    );
    return toUsageResponse(report, await namesOf(this.askNames, userKeyNameIds(report.rows)));
  }

  /** Every account's balance against its ledger and open holds; any difference is listed. */
  @Serve(R.reconcile)
  async reconcile() {
    return toReconcileResponse(unwrap(await this.bus.request(BillingSubjects.reconcile, {}, 30_000)));
  }

  @Serve(R.listGroups)
  async groups() {
    const groups = await this.bus.request(BillingSubjects.listGroupMultipliers, {});
    return { object: 'list' as const, data: groups.map(toGroupResponse) };
  }

  /** A group's price multiplier, e.g. "0.8" for 20% off (up to 4 decimals). */
  @Serve(R.setGroupMultiplier)
  async setGroupMultiplier(@Checked() { params, body }: CheckedInput<typeof R.setGroupMultiplier>) {
    // The schema allows at most 4 decimals, so micro-units divide into basis points exactly.
    const basisPoints = Number(BigInt(moneyToMicros(body.multiplier)) / 100n);
    const view = unwrap(
      await this.bus.request(BillingSubjects.setGroupMultiplier, {
        group: params.group,
        multiplierBasisPoints: basisPoints,
      }),
    );
    return toGroupResponse(view);
  }
}
