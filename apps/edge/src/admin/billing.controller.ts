import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, UseGuards } from '@nestjs/common';
import { BillingSubjects, type Principal } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { AdminArea, Caller } from '../principal/admin-principal.js';
import { AdminGuard } from '../principal/admin.guard.js';
import { NATS_BUS } from '../tokens.js';
import { AdminInput, unwrap } from './admin-input.js';
import { toBalanceResponse, toLedgerResponse, toPriceResponse } from './admin-views.js';

/** Prices and balances (role billing or higher). Every balance change is a ledger row. */
@Controller('admin/v1')
@UseGuards(AdminGuard)
@AdminArea('billing')
export class BillingController {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  @Put('prices/:model')
  async setPrice(@Param('model') model: string, @Body() body: unknown) {
    const input = AdminInput.of(body);
    const price = unwrap(
      await this.bus.request(BillingSubjects.setPrice, {
        model,
        inputPerMillionMicros: input.money('input_per_million'),
        outputPerMillionMicros: input.money('output_per_million'),
        imagePriceMicros: input.moneyMap('image_prices'),
        charactersPerMillionMicros: input.money('characters_per_million'),
      }),
    );
    return toPriceResponse(price);
  }

  @Get('prices')
  async listPrices() {
    const prices = await this.bus.request(BillingSubjects.listPrices, {});
    return { object: 'list', data: prices.map(toPriceResponse) };
  }

  /** A top-up: positive amount, required reason and idempotency key (the same key twice changes nothing). */
  @Post('users/:userId/topups')
  @HttpCode(201)
  async topUp(@Caller() caller: Principal, @Param('userId') userId: string, @Body() body: unknown) {
    const input = AdminInput.of(body);
    const result = unwrap(
      await this.bus.request(BillingSubjects.topUp, {
        userId,
        amountMicros: input.money('amount', { required: true }) as string,
        actor: caller.userId,
        reason: input.requiredString('reason'),
        idempotencyKey: input.requiredString('idempotency_key'),
      }),
    );
    return { entry: toLedgerResponse(result.entry), balance: toBalanceResponse(result.balance) };
  }

  @Get('users/:userId/balance')
  async balance(@Param('userId') userId: string) {
    return toBalanceResponse(await this.bus.request(BillingSubjects.balance, { userId }));
  }
}
