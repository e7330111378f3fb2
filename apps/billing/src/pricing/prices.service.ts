import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  BillingSubjects,
  ok,
  type EventSubject,
  type GroupMultiplierInput,
  type GroupMultiplierView,
  type PriceInput,
  type PricesChanged,
  type PriceView,
  type Reply,
} from '@tollgate/contracts';
import { NATS_BUS } from '../tokens.js';
import { formatBasisPoints } from '@tollgate/pricing';
import { PRICE_COLUMNS, toPriceView, type PriceRow } from './model-price.js';
import { PriceBook } from './price-book.js';
import { toPricePatch, type NullablePriceChange } from './price-patch.js';

/** What this service needs from the bus (NatsBus in the app): tell every replica, and hear from them. */
export interface PriceChangeBus {
  broadcast(target: EventSubject<PricesChanged>, payload: PricesChanged): void;
  onBroadcast(target: EventSubject<PricesChanged>, handler: (payload: PricesChanged) => void): unknown;
}

interface MultiplierRow {
  group_name: string;
  multiplier_bp: number;
  updated_at: Date;
}

/** Staff-facing price and group-multiplier management. */
@Injectable()
export class PricesService implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly book: PriceBook,
    @Inject(NATS_BUS) private readonly bus: PriceChangeBus,
  ) {}

  onModuleInit(): void {
    // Outside the queue group: every billing replica drops a changed price at once.
    this.bus.onBroadcast(BillingSubjects.pricesChanged, (change) => this.book.evict(change));
  }

  /** Creates or changes a model's prices; absent fields keep their value (0 for a new model, null for a part's price and the audio minute). */
  async setPrice(input: PriceInput): Promise<Reply<PriceView>> {
    const checked = toPricePatch(input);
    if (!checked.ok) return checked;
    const patch = checked.value;
    // A nullable price is two parameters: whether to change it, and to what (null included).
    const nullable = (change: NullablePriceChange) =>
      change.keep ? [false, null] : [true, change.to?.toString() ?? null];
    const [row] = await this.db.query<PriceRow[]>(
      `INSERT INTO billing.prices AS p
              (model, input_per_million_micros, output_per_million_micros, image_price_micros, characters_per_million_micros,
               cached_input_per_million_micros, cache_write_per_million_micros, reasoning_per_million_micros,
               audio_per_minute_micros)
       VALUES ($1, coalesce($2::bigint, 0), coalesce($3::bigint, 0), coalesce($4::jsonb, '{}'::jsonb), coalesce($5::bigint, 0),
               $7::bigint, $9::bigint, $11::bigint, $13::bigint)
       ON CONFLICT (model) DO UPDATE SET
         input_per_million_micros = coalesce($2::bigint, p.input_per_million_micros),
         output_per_million_micros = coalesce($3::bigint, p.output_per_million_micros),
         image_price_micros = coalesce($4::jsonb, p.image_price_micros),
         characters_per_million_micros = coalesce($5::bigint, p.characters_per_million_micros),
         cached_input_per_million_micros = CASE WHEN $6::boolean THEN $7::bigint ELSE p.cached_input_per_million_micros END,
         cache_write_per_million_micros = CASE WHEN $8::boolean THEN $9::bigint ELSE p.cache_write_per_million_micros END,
         reasoning_per_million_micros = CASE WHEN $10::boolean THEN $11::bigint ELSE p.reasoning_per_million_micros END,
         audio_per_minute_micros = CASE WHEN $12::boolean THEN $13::bigint ELSE p.audio_per_minute_micros END,
         updated_at = now()
       RETURNING ${PRICE_COLUMNS}`,
      [
        patch.model,
        patch.inputPerMillionMicros?.toString() ?? null,
        patch.outputPerMillionMicros?.toString() ?? null,
        patch.imagePriceMicros === null ? null : JSON.stringify(patch.imagePriceMicros),
        patch.charactersPerMillionMicros?.toString() ?? null,
        ...nullable(patch.cachedInputPerMillionMicros),
        ...nullable(patch.cacheWritePerMillionMicros),
        ...nullable(patch.reasoningPerMillionMicros),
        ...nullable(patch.audioPerMinuteMicros),
      ],
    );
    this.changed({ models: [patch.model] });
    return ok(toPriceView(row));
  }

  async listPrices(): Promise<PriceView[]> {
    const rows = await this.db.query<PriceRow[]>(`SELECT ${PRICE_COLUMNS} FROM billing.prices ORDER BY model`);
    return rows.map(toPriceView);
  }

  async setGroupMultiplier({
    group,
    multiplierBasisPoints,
  }: GroupMultiplierInput): Promise<Reply<GroupMultiplierView>> {
    const [row] = await this.db.query<MultiplierRow[]>(
      `INSERT INTO billing.group_multipliers (group_name, multiplier_bp) VALUES ($1, $2)
       ON CONFLICT (group_name) DO UPDATE SET multiplier_bp = EXCLUDED.multiplier_bp, updated_at = now()
       RETURNING group_name, multiplier_bp, updated_at`,
      [group, multiplierBasisPoints],
    );
    this.changed({ groups: [group] });
    return ok(toMultiplierView(row));
  }

  async listGroupMultipliers(): Promise<GroupMultiplierView[]> {
    const rows = await this.db.query<MultiplierRow[]>(
      `SELECT group_name, multiplier_bp, updated_at FROM billing.group_multipliers ORDER BY group_name`,
    );
    return rows.map(toMultiplierView);
  }

  private changed(change: { models?: string[]; groups?: string[] }): void {
    this.book.evict(change);
    this.bus.broadcast(BillingSubjects.pricesChanged, change);
  }
}

function toMultiplierView(row: MultiplierRow): GroupMultiplierView {
  return {
    group: row.group_name,
    multiplierBasisPoints: row.multiplier_bp,
    multiplier: formatBasisPoints(row.multiplier_bp),
    updatedAt: row.updated_at.toISOString(),
  };
}
