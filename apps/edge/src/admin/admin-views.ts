import {
  formatMoney,
  type AdjustmentResult,
  type AdjustmentResponse,
  type BalanceResponse,
  type BatchResponse,
  type BatchRowResponse,
  type ChannelHealthResponse,
  type ChannelResponse,
  type ChannelTestResponse,
  type GrantResponse,
  type GrantView,
  type GroupResponse,
  type HoldResponse,
  type KeyResponse,
  type LedgerEntryResponse,
  type NamedLedgerEntryResponse,
  type PriceResponse,
  type ReconcileResponse,
  type RequestLogEntryResponse,
  type RequestTraceResponse,
  type UsageResponse,
  type UserResponse,
  type BalanceView,
  type BatchAdjustResult,
  type BatchAdjustRowResult,
  type ChannelHealthView,
  type ChannelTestResult,
  type ChannelView,
  type GroupMultiplierView,
  type HoldView,
  type KeyView,
  type LedgerEntryView,
  type PriceView,
  type ReconcileReport,
  type RequestLogEntryView,
  type RequestTrace,
  type UsageReport,
  type UserView,
} from '@tollgate/contracts';
import type { FastifyReply } from 'fastify';
import { actorIds, actorName, idsOf, type NameIds, type Names } from './names.js';

/**
 * The admin API speaks snake_case JSON and decimal money strings, like
 * OpenAI's API. Each view returns the response type its route declares, so
 * what the edge sends is what the OpenAPI document says.
 */

export const toUserResponse = (user: UserView): UserResponse => ({
  id: user.id,
  object: 'user',
  name: user.name,
  email: user.email,
  role: user.role,
  group: user.group,
  status: user.status,
  created_at: user.createdAt,
  updated_at: user.updatedAt,
});

export const toKeyResponse = (key: KeyView): KeyResponse => ({
  id: key.id,
  object: 'api_key',
  user_id: key.userId,
  name: key.name,
  prefix: key.prefix,
  last6: key.last6,
  status: key.status,
  expires_at: key.expiresAt,
  allowed_models: key.allowedModels,
  allowed_ip_ranges: key.allowedIpRanges,
  budget: key.budgetMicros === null ? null : formatMoney(key.budgetMicros),
  rpm_limit: key.rpmLimit,
  last_used_at: key.lastUsedAt,
  created_at: key.createdAt,
});

export const toChannelResponse = (channel: ChannelView): ChannelResponse => ({
  id: channel.id,
  object: 'channel',
  name: channel.name,
  type: channel.type,
  base_url: channel.baseUrl,
  api_version: channel.apiVersion,
  api_key_last4: channel.apiKeyLast4,
  models: channel.models,
  model_mapping: channel.modelMapping,
  groups: channel.groups,
  priority: channel.priority,
  weight: channel.weight,
  status: channel.status,
  status_reason: channel.statusReason,
  timeouts: {
    connect_ms: channel.timeouts.connectMs,
    first_byte_ms: channel.timeouts.firstByteMs,
    idle_ms: channel.timeouts.idleMs,
  },
  created_at: channel.createdAt,
  updated_at: channel.updatedAt,
});

const moneyOrNull = (micros: string | null) => (micros === null ? null : formatMoney(micros));

const moneyMap = (map: Record<string, string>) =>
  Object.fromEntries(Object.entries(map).map(([key, value]) => [key, formatMoney(value)]));

export const toPriceResponse = (price: PriceView): PriceResponse => ({
  object: 'price',
  model: price.model,
  input_per_million: formatMoney(price.inputPerMillionMicros),
  output_per_million: formatMoney(price.outputPerMillionMicros),
  image_prices: moneyMap(price.imagePriceMicros),
  characters_per_million: formatMoney(price.charactersPerMillionMicros),
  cached_input_per_million: moneyOrNull(price.cachedInputPerMillionMicros),
  cache_write_per_million: moneyOrNull(price.cacheWritePerMillionMicros),
  reasoning_per_million: moneyOrNull(price.reasoningPerMillionMicros),
  audio_per_minute: moneyOrNull(price.audioPerMinuteMicros),
  updated_at: price.updatedAt,
});

export const toBalanceResponse = (balance: BalanceView): BalanceResponse => ({
  object: 'balance',
  user_id: balance.userId,
  balance: formatMoney(balance.balanceMicros),
  held: formatMoney(balance.heldMicros),
  granted: formatMoney(balance.grantedMicros ?? '0'),
  available: formatMoney((BigInt(balance.balanceMicros) - BigInt(balance.grantedMicros ?? '0')).toString()),
  updated_at: balance.updatedAt,
});

export const toLedgerResponse = (entry: LedgerEntryView): LedgerEntryResponse => ({
  id: entry.id,
  object: 'ledger_entry',
  user_id: entry.userId,
  type: entry.type,
  amount: formatMoney(entry.amountMicros),
  balance_after: formatMoney(entry.balanceAfterMicros),
  hold_id: entry.holdId,
  actor: entry.actor,
  reason: entry.reason,
  tid: entry.tid,
  idempotency_key: entry.idempotencyKey,
  created_at: entry.createdAt,
});

/** A ledger entry as staff read it: with the names of its user and its actor (see `namesOf`). */
export const toNamedLedgerResponse = (entry: LedgerEntryView, names: Names): NamedLedgerEntryResponse => ({
  ...toLedgerResponse(entry),
  user_name: names.user(entry.userId),
  actor_name: actorName(entry.actor, names),
});

/** The users and keys a ledger page names: each entry's user and its actor. */
export const ledgerNameIds = (entries: readonly LedgerEntryView[]): NameIds =>
  idsOf(entries, (entry) => {
    const actor = actorIds(entry.actor);
    return { userIds: [entry.userId, ...actor.userIds], keyIds: actor.keyIds };
  });

/** The users and keys of rows that carry one of each (usage rows, requests). */
export const userKeyNameIds = (rows: ReadonlyArray<{ userId: string; keyId: string }>): NameIds =>
  idsOf(rows, (row) => ({ userIds: [row.userId], keyIds: [row.keyId] }));

export const toHoldResponse = (hold: HoldView): HoldResponse => ({
  id: hold.holdId,
  object: 'hold',
  user_id: hold.userId,
  key_id: hold.keyId,
  model: hold.model,
  amount: formatMoney(hold.amountMicros),
  tid: hold.tid,
  grant_id: hold.grantId ?? null,
  created_at: hold.createdAt,
  expires_at: hold.expiresAt,
});

export const toGrantResponse = (grant: GrantView): GrantResponse => ({
  id: grant.grantId,
  object: 'grant',
  edge_id: grant.edgeId,
  user_id: grant.userId,
  key_id: grant.keyId,
  model: grant.model,
  status: grant.status,
  amount: formatMoney(grant.moneyMicros),
  drawn: formatMoney(grant.drawnMicros),
  unused: formatMoney(grant.unusedMicros),
  requests: grant.requests,
  drawn_requests: grant.drawnRequests,
  created_at: grant.createdAt,
  expires_at: grant.expiresAt,
});

export const toBatchResponse = (result: BatchAdjustResult): BatchResponse => ({
  object: 'batch_adjustment',
  id: result.batchId,
  dry_run: result.dryRun,
  applied: result.applied,
  counts: result.counts,
  failed_rows: result.failedRows.map((row) => ({
    index: row.index,
    user_id: row.userId,
    error: row.error,
    message: row.message,
  })),
});

export const toBatchRowResponse = (row: BatchAdjustRowResult): BatchRowResponse => ({
  object: 'batch_adjustment_row',
  index: row.index,
  user_id: row.userId,
  amount: formatMoney(row.amountMicros),
  idempotency_key: row.idempotencyKey,
  status: row.status,
  balance_before: moneyOrNull(row.balanceBeforeMicros),
  balance_after: moneyOrNull(row.balanceAfterMicros),
  entry_id: row.entryId,
  error: row.error,
  message: row.message,
});

export const toUsageResponse = (report: UsageReport, names: Names): UsageResponse => ({
  object: 'usage_report',
  truncated: report.truncated,
  data: report.rows.map((row) => ({
    day: row.day,
    user_id: row.userId,
    user_name: names.user(row.userId),
    key_id: row.keyId,
    key_name: names.key(row.keyId),
    model: row.model,
    requests: row.requests,
    failed_requests: row.failedRequests,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    cached_input_tokens: row.cachedInputTokens,
    cache_write_tokens: row.cacheWriteTokens,
    reasoning_tokens: row.reasoningTokens,
    images: row.images,
    characters: row.characters,
    audio_seconds: row.audioSeconds,
    cost: formatMoney(row.costMicros),
  })),
});

export const toRequestLogEntryResponse = (entry: RequestLogEntryView, names: Names): RequestLogEntryResponse => ({
  id: entry.id,
  object: 'request',
  tid: entry.tid,
  hold_id: entry.holdId,
  user_id: entry.userId,
  user_name: names.user(entry.userId),
  key_id: entry.keyId,
  key_name: names.key(entry.keyId),
  model: entry.model,
  channel_id: entry.channelId,
  status: entry.httpStatus,
  succeeded: entry.succeeded,
  stream: entry.stream,
  latency_ms: entry.latencyMs,
  input_tokens: entry.inputTokens,
  output_tokens: entry.outputTokens,
  cached_input_tokens: entry.cachedInputTokens,
  cache_write_tokens: entry.cacheWriteTokens,
  reasoning_tokens: entry.reasoningTokens,
  images: entry.images,
  characters: entry.characters,
  audio_seconds: entry.audioSeconds,
  cost: formatMoney(entry.costMicros),
  created_at: entry.createdAt,
});

/** Every user and key a trace shows: each request's, and each of its ledger lines'. */
export const traceNameIds = (trace: RequestTrace): NameIds => {
  const requests = userKeyNameIds(trace.requests.map(({ request }) => request));
  const ledger = ledgerNameIds(trace.requests.flatMap(({ ledger: lines }) => lines));
  return { userIds: [...requests.userIds, ...ledger.userIds], keyIds: [...requests.keyIds, ...ledger.keyIds] };
};

export const toRequestTraceResponse = (trace: RequestTrace, names: Names): RequestTraceResponse => ({
  object: 'request_trace',
  tid: trace.tid,
  requests: trace.requests.map(({ request, hold, ledger }) => ({
    request: toRequestLogEntryResponse(request, names),
    hold:
      hold === null
        ? null
        : {
            id: hold.holdId,
            status: hold.status,
            held: formatMoney(hold.heldMicros),
            charged: hold.chargedMicros === null ? null : formatMoney(hold.chargedMicros),
            grant_id: hold.grantId,
            created_at: hold.createdAt,
            closed_at: hold.closedAt,
          },
    ledger: ledger.map((entry) => toNamedLedgerResponse(entry, names)),
  })),
});

export const toReconcileResponse = (report: ReconcileReport): ReconcileResponse => ({
  object: 'reconcile_report',
  checked_at: report.checkedAt,
  ok: report.ok,
  accounts: report.accounts,
  keys: report.keys,
  differences: report.differences.map((d) => ({
    kind: d.kind,
    user_id: d.userId,
    key_id: d.keyId,
    recorded: formatMoney(d.recordedMicros),
    expected: formatMoney(d.expectedMicros),
    difference: formatMoney(d.differenceMicros),
  })),
  accounts_without_user: report.accountsWithoutUser.map((account) => ({
    user_id: account.userId,
    balance: formatMoney(account.balanceMicros),
    held: formatMoney(account.heldMicros),
  })),
  pending_admissions: report.pendingAdmissions ?? null,
});

export const toGroupResponse = (group: GroupMultiplierView): GroupResponse => ({
  object: 'group',
  group: group.group,
  multiplier: group.multiplier,
  updated_at: group.updatedAt,
});

export const toChannelTestResponse = (result: ChannelTestResult): ChannelTestResponse => ({
  object: 'channel_test',
  ok: result.ok,
  status: result.status,
  latency_ms: result.latencyMs,
  error: result.error,
});

export const toChannelHealthResponse = (health: ChannelHealthView): ChannelHealthResponse => ({
  object: 'channel_health',
  state: health.state,
  cooldown_until: health.cooldownUntil,
  consecutive_failures: health.consecutiveFailures,
  recent_errors: health.recentErrors.map((e) => ({ at: e.at, status: e.status, error_code: e.errorCode })),
});

const toAdjustmentResponse = (result: AdjustmentResult): AdjustmentResponse => ({
  entry: toLedgerResponse(result.entry),
  balance: toBalanceResponse(result.balance),
  replayed: result.replayed,
});

/**
 * A top-up's or an adjustment's answer: 201 when it was applied now, 200 when
 * its idempotency key was applied before (a replay: nothing changed), so a
 * client or a form that sent twice can tell without reading the body.
 * Sent here, not returned: Nest would answer the route's declared 201.
 */
export function sendAdjustment(reply: FastifyReply, result: AdjustmentResult): void {
  void reply.code(result.replayed ? 200 : 201).send(toAdjustmentResponse(result));
}
