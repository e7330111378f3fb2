/**
 * The admin API's JSON as it arrives over HTTP (snake_case, money as decimal
 * strings). These mirror the OpenAPI document served at /admin/v1/openapi.json;
 * the CLI reads them only to draw tables, and prints them untouched for --json.
 */

export interface ListResponse<T> {
  object: 'list';
  data: T[];
  next_cursor?: string | null;
}

export interface UserResponse {
  id: string;
  object: 'user';
  name: string;
  email: string | null;
  role: string;
  group: string;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface KeyResponse {
  id: string;
  object: 'api_key';
  user_id: string;
  name: string;
  prefix: string;
  last6: string;
  status: string;
  expires_at: string | null;
  allowed_models: string[] | null;
  allowed_ip_ranges: string[] | null;
  budget: string | null;
  rpm_limit: number | null;
  last_used_at: string | null;
  created_at: string;
}

export interface CreatedKeyResponse extends KeyResponse {
  /** Shown in this response only; the server keeps a hash. */
  key: string;
}

export interface ChannelResponse {
  id: number;
  object: 'channel';
  name: string;
  type: string;
  base_url: string;
  api_key_last4: string;
  models: string[];
  model_mapping: Record<string, string>;
  groups: string[];
  priority: number;
  weight: number;
  status: string;
  status_reason: string | null;
  timeouts: { connect_ms: number; first_byte_ms: number; idle_ms: number };
  created_at: string;
  updated_at: string;
}

export interface ChannelDeletedResponse {
  id: number;
  object: 'channel';
  deleted: boolean;
}

export interface ChannelTestResponse {
  object: 'channel_test';
  ok: boolean;
  status: number | null;
  latency_ms: number | null;
  error: string | null;
}

export interface ChannelHealthResponse {
  object: 'channel_health';
  state: string;
  cooldown_until: string | null;
  consecutive_failures: number;
  recent_errors: Array<{ at: string; status: number | null; error_code: string | null }>;
}

export interface PriceResponse {
  object: 'price';
  model: string;
  input_per_million: string;
  output_per_million: string;
  image_prices: Record<string, string>;
  characters_per_million: string;
  updated_at: string;
}

export interface GroupResponse {
  object: 'group';
  group: string;
  multiplier: string;
  updated_at: string | null;
}

export interface BalanceResponse {
  object: 'balance';
  user_id: string;
  balance: string;
  held: string;
  updated_at: string | null;
}

export interface LedgerEntryResponse {
  id: string;
  object: 'ledger_entry';
  user_id: string;
  type: string;
  amount: string;
  balance_after: string;
  hold_id: string | null;
  actor: string;
  reason: string | null;
  tid: string | null;
  idempotency_key: string;
  created_at: string;
}

/** A top-up answers without `replayed`; an adjustment says whether the key had been used before. */
export interface AdjustmentResponse {
  entry: LedgerEntryResponse;
  balance: BalanceResponse;
  replayed?: boolean;
}

export interface HoldResponse {
  id: string;
  object: 'hold';
  user_id: string;
  key_id: string;
  model: string;
  amount: string;
  tid: string | null;
  created_at: string;
  expires_at: string;
}

export interface BatchRowResponse {
  index: number;
  user_id: string;
  amount: string;
  idempotency_key: string;
  status: string;
  balance_before: string | null;
  balance_after: string | null;
  entry_id: string | null;
  error: string | null;
}

export interface BatchResponse {
  object: 'batch_adjustment';
  dry_run: boolean;
  applied: boolean;
  error_count: number;
  rows: BatchRowResponse[];
}

export interface UsageRowResponse {
  day: string;
  user_id: string;
  key_id: string;
  model: string;
  requests: number;
  failed_requests: number;
  input_tokens: number;
  output_tokens: number;
  images: number;
  characters: number;
  cost: string;
}

export interface UsageResponse {
  object: 'usage_report';
  truncated: boolean;
  data: UsageRowResponse[];
}

export interface ReconcileResponse {
  object: 'reconcile_report';
  checked_at: string;
  ok: boolean;
  accounts: number;
  keys: number;
  differences: Array<{
    kind: string;
    user_id: string | null;
    key_id: string | null;
    recorded: string;
    expected: string;
    difference: string;
  }>;
}
