import {
  formatMoney,
  type BalanceView,
  type ChannelView,
  type KeyView,
  type LedgerEntryView,
  type PriceView,
  type UserView,
} from '@tollgate/contracts';

/** The admin API speaks snake_case JSON and decimal money strings, like OpenAI's API. */

export const toUserResponse = (user: UserView) => ({
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

export const toKeyResponse = (key: KeyView) => ({
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

export const toChannelResponse = (channel: ChannelView) => ({
  id: channel.id,
  object: 'channel',
  name: channel.name,
  type: channel.type,
  base_url: channel.baseUrl,
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

const moneyMap = (map: Record<string, string>) =>
  Object.fromEntries(Object.entries(map).map(([key, value]) => [key, formatMoney(value)]));

export const toPriceResponse = (price: PriceView) => ({
  object: 'price',
  model: price.model,
  input_per_million: formatMoney(price.inputPerMillionMicros),
  output_per_million: formatMoney(price.outputPerMillionMicros),
  image_prices: moneyMap(price.imagePriceMicros),
  characters_per_million: formatMoney(price.charactersPerMillionMicros),
  updated_at: price.updatedAt,
});

export const toBalanceResponse = (balance: BalanceView) => ({
  object: 'balance',
  user_id: balance.userId,
  balance: formatMoney(balance.balanceMicros),
  held: formatMoney(balance.heldMicros),
  updated_at: balance.updatedAt,
});

export const toLedgerResponse = (entry: LedgerEntryView) => ({
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
