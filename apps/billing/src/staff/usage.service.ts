import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ok, type Reply, type UsageReport, type UsageRequest, type UsageRow } from '@tollgate/contracts';

const DEFAULT_ROWS = 1000;

interface AggregateRow {
  day: string;
  user_id: string;
  key_id: string;
  model: string;
  requests: string;
  failed: string;
  input_tokens: string;
  output_tokens: string;
  cached_input_tokens: string;
  cache_write_tokens: string;
  reasoning_tokens: string;
  images: string;
  characters: string;
  audio_seconds: string;
  cost: string;
}

/** `usage`: the usage log summed by UTC day, user, key and model. */
@Injectable()
export class UsageService {
  constructor(private readonly db: DataSource) {}

  async usage(request: UsageRequest): Promise<Reply<UsageReport>> {
    const { from, to, userId, keyId, model } = request;
    const limit = request.limit ?? DEFAULT_ROWS;

    const where: string[] = [];
    const params: unknown[] = [];
    const add = (column: string, operator: string, value: unknown): void => {
      params.push(value);
      where.push(`${column} ${operator} $${params.length}`);
    };
    if (from) add('created_at', '>=', new Date(from));
    if (to) add('created_at', '<', new Date(to));
    if (userId !== undefined) add('user_id', '=', userId);
    if (keyId !== undefined) add('key_id', '=', keyId);
    if (model !== undefined) add('model', '=', model);
    params.push(limit + 1);
    const rows = await this.db.query<AggregateRow[]>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, user_id, key_id, model,
              count(*) AS requests, count(*) FILTER (WHERE NOT succeeded) AS failed,
              sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
              sum(cached_input_tokens) AS cached_input_tokens, sum(cache_write_tokens) AS cache_write_tokens,
              sum(reasoning_tokens) AS reasoning_tokens,
              sum(images) AS images, sum(characters) AS characters,
              sum(audio_seconds) AS audio_seconds, sum(cost_micros) AS cost
         FROM billing.usage_log
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        LIMIT $${params.length}`,
      params,
    );
    return ok({ rows: rows.slice(0, limit).map(toUsageRow), truncated: rows.length > limit });
  }
}

function toUsageRow(row: AggregateRow): UsageRow {
  return {
    day: row.day,
    userId: row.user_id,
    keyId: row.key_id,
    model: row.model,
    requests: Number(row.requests),
    failedRequests: Number(row.failed),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    images: Number(row.images),
    characters: Number(row.characters),
    audioSeconds: Number(row.audio_seconds),
    costMicros: String(row.cost),
  };
}
