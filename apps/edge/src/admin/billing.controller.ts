import { Controller, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ADMIN_ROUTES as R, BillingSubjects, normalizeIdempotencyKey, type Principal } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { Checked, Serve, type CheckedInput } from '../http/route.decorator.js';
import { Caller } from '../principal/admin-principal.js';
import { NATS_BUS } from '../tokens.js';
import { moneyToMicros, unwrap } from './admin-input.js';
import { refuseOwnAccount } from './own-account.js';
import { sendAdjustment, toBalanceResponse, toPriceResponse } from './admin-views.js';

const moneyMapToMicros = (map: Record<string, string> | undefined) =>
  map && Object.fromEntries(Object.entries(map).map(([size, amount]) => [size, moneyToMicros(amount)]));
const optionalMicros = (amount: string | undefined) => (amount === undefined ? undefined : moneyToMicros(amount));
/** null passes through: a part's price that follows its whole's. */
const nullableMicros = (amount: string | null | undefined) => (amount === null ? null : optionalMicros(amount));

/** Prices and balances (role billing or higher). Every balance change is a ledger row. */
@Controller()
export class BillingController {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  @Serve(R.setPrice)
  async setPrice(@Checked() { params, body }: CheckedInput<typeof R.setPrice>) {
    const price = unwrap(
      await this.bus.request(BillingSubjects.setPrice, {
        model: params.model,
        inputPerMillionMicros: optionalMicros(body.input_per_million),
        outputPerMillionMicros: optionalMicros(body.output_per_million),
        imagePriceMicros: moneyMapToMicros(body.image_prices),
        charactersPerMillionMicros: optionalMicros(body.characters_per_million),
        cachedInputPerMillionMicros: nullableMicros(body.cached_input_per_million),
        cacheWritePerMillionMicros: nullableMicros(body.cache_write_per_million),
        reasoningPerMillionMicros: nullableMicros(body.reasoning_per_million),
        audioPerMinuteMicros: nullableMicros(body.audio_per_minute),
      }),
    );
    return toPriceResponse(price);
  }

  @Serve(R.listPrices)
  async listPrices() {
    const prices = await this.bus.request(BillingSubjects.listPrices, {});
    return { object: 'list' as const, data: prices.map(toPriceResponse) };
  }

  /** A top-up: positive amount, required reason and idempotency key (the same key twice changes nothing). */
  @Serve(R.topUp)
  async topUp(
    @Caller() caller: Principal,
    @Checked() { params, body }: CheckedInput<typeof R.topUp>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    refuseOwnAccount(caller, [params.user_id]);
    const result = unwrap(
      await this.bus.request(BillingSubjects.topUp, {
        userId: params.user_id,
        amountMicros: moneyToMicros(body.amount),
        actor: caller.userId,
        reason: body.reason,
        idempotencyKey: normalizeIdempotencyKey(body.idempotency_key),
      }),
    );
    sendAdjustment(reply, result);
  }

  @Serve(R.getBalance)
  async balance(@Checked() { params }: CheckedInput<typeof R.getBalance>) {
    return toBalanceResponse(unwrap(await this.bus.request(BillingSubjects.balance, { userId: params.user_id })));
  }
}
