import type { Usage } from '@tollgate/contracts';
import { serviceRegistry } from '@tollgate/ops';
import { Counter, Gauge, Histogram } from 'prom-client';

const registers = [serviceRegistry('billing')];

/**
 * Billing's metric families. Tokens and spend are counted here, when a
 * settlement is applied — the charge is billing's fact, and a settlement
 * delivered twice is applied once (settle_holds answers `not_open` to the
 * second), so each request counts once. `model` is a model a hold was placed
 * for: routed, so bounded by the configuration.
 */
const tokens = new Counter({
  name: 'tollgate_tokens_total',
  help: 'Tokens charged, by model and kind (input, cached_input, cache_write, output, reasoning)',
  labelNames: ['model', 'kind'] as const,
  registers,
});

const spend = new Counter({
  name: 'tollgate_spend_micros_total',
  help: 'Money charged for requests, in micro-units of the balance currency, by model',
  labelNames: ['model'] as const,
  registers,
});

const settlements = new Counter({
  name: 'tollgate_settlements_total',
  help: 'Settlements applied, by outcome (settled: charged; released: nothing delivered, the hold returned)',
  labelNames: ['outcome'] as const,
  registers,
});

const streamLag = new Histogram({
  name: 'tollgate_stream_lag_seconds',
  help: 'From a JetStream message being stored to billing having applied it, by what the stream carries',
  labelNames: ['carries'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers,
});

/** Read at scrape time from where the truth is: JetStream for backlogs, PostgreSQL for open holds and grants. */
const backlogSources = new Map<string, () => Promise<number>>();
new Gauge({
  name: 'tollgate_stream_backlog_messages',
  help: 'Messages of a work-queue stream not yet applied (pending and unacknowledged, across every replica)',
  labelNames: ['carries'] as const,
  registers,
  async collect() {
    this.reset();
    await Promise.all(
      [...backlogSources].map(async ([carries, count]) => {
        this.labels(carries).set(await count().catch(() => Number.NaN));
      }),
    );
  },
});

interface OpenBooks {
  holds: number;
  grants: number;
}
let readOpenBooks: (() => Promise<OpenBooks>) | undefined;
/** One query per scrape for both gauges: the first asks, the second (collected just after) shares its answer. */
let lastRead: { at: number; books: Promise<OpenBooks> } | undefined;
function openBooks(): Promise<OpenBooks> | undefined {
  if (!readOpenBooks) return undefined;
  const now = Date.now();
  if (!lastRead || now - lastRead.at > 500) lastRead = { at: now, books: readOpenBooks() };
  return lastRead.books;
}
const NO_BOOKS: OpenBooks = { holds: Number.NaN, grants: Number.NaN };
new Gauge({
  name: 'tollgate_holds_open',
  help: 'Holds placed and not yet settled, released or expired (every replica: read from PostgreSQL)',
  registers,
  async collect() {
    const books = openBooks();
    if (books) this.set((await books.catch(() => NO_BOOKS)).holds);
  },
});
new Gauge({
  name: 'tollgate_grants_live',
  help: 'Credit grants not yet closed (open, returned or draining), every replica',
  registers,
  async collect() {
    const books = openBooks();
    if (books) this.set((await books.catch(() => NO_BOOKS)).grants);
  },
});

export const billingMetrics = {
  /** One settlement applied: its charge and the tokens it charged for. */
  settled(model: string, usage: Usage, costMicros: bigint): void {
    settlements.labels('settled').inc();
    spend.labels(model).inc(Number(costMicros));
    if (usage.inputTokens) tokens.labels(model, 'input').inc(usage.inputTokens);
    if (usage.cachedInputTokens) tokens.labels(model, 'cached_input').inc(usage.cachedInputTokens);
    if (usage.cacheWriteTokens) tokens.labels(model, 'cache_write').inc(usage.cacheWriteTokens);
    if (usage.outputTokens) tokens.labels(model, 'output').inc(usage.outputTokens);
    if (usage.reasoningTokens) tokens.labels(model, 'reasoning').inc(usage.reasoningTokens);
  },

  released(): void {
    settlements.labels('released').inc();
  },

  /** A stream message applied; `storedAtMs` is when JetStream stored it (epoch ms). */
  streamApplied(carries: string, storedAtMs: number): void {
    streamLag.labels(carries).observe(Math.max(0, Date.now() - storedAtMs) / 1000);
  },

  watchBacklog(carries: string, count: () => Promise<number>): void {
    backlogSources.set(carries, count);
  },

  watchOpenBooks(read: () => Promise<OpenBooks>): void {
    readOpenBooks = read;
  },
};
