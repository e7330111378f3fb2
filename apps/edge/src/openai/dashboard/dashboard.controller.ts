import { Controller, Inject, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { BillingSubjects, V1_ROUTES } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { unwrap } from '../../admin/admin-input.js';
import { checkInput, Serve } from '../../http/route.decorator.js';
import { PrincipalService } from '../../principal/principal.service.js';
import { NATS_BUS } from '../../tokens.js';

/**
 * The legacy OpenAI billing endpoints that OpenAI-compatible chat UIs read to
 * show a balance, for the caller's own account. These shapes carry dollars
 * as JSON numbers, so micro-units are converted here for display only; no
 * money moves through these numbers.
 */
const dollars = (micros: string | bigint): number => Number(BigInt(micros)) / 1_000_000;

@Controller()
export class DashboardController {
  constructor(
    private readonly principals: PrincipalService,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
  ) {}

  /** `hard_limit_usd` is what the account can still spend: its available balance. */
  @Serve(V1_ROUTES.billingSubscription)
  async subscription(@Req() request: FastifyRequest) {
    const principal = await this.principals.authenticate(request, null);
    const balance = unwrap(await this.bus.request(BillingSubjects.balance, { userId: principal.userId }));
    const available = dollars(balance.balanceMicros);
    return {
      object: 'billing_subscription',
      has_payment_method: true,
      soft_limit_usd: available,
      hard_limit_usd: available,
      system_hard_limit_usd: available,
      access_until: 0,
    };
  }

  /** `total_usage` is in cents, as OpenAI's was, over [start_date, end_date). */
  @Serve(V1_ROUTES.billingUsage)
  async usage(@Req() request: FastifyRequest) {
    const principal = await this.principals.authenticate(request, null);
    const { start_date: start, end_date: end } = checkInput(V1_ROUTES.billingUsage, request).query;
    const report = unwrap(
      await this.bus.request(BillingSubjects.usage, {
        userId: principal.userId,
        from: start ? new Date(`${start}T00:00:00Z`).toISOString() : null,
        to: end ? new Date(`${end}T00:00:00Z`).toISOString() : null,
      }),
    );
    const totalMicros = report.rows.reduce((sum, row) => sum + BigInt(row.costMicros), 0n);
    return { object: 'list', total_usage: dollars(totalMicros) * 100 };
  }
}
