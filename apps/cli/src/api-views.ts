/**
 * The admin API's JSON as it arrives over HTTP (snake_case, money as decimal
 * strings): the very types the edge's routes declare in `@tollgate/contracts`,
 * from which the OpenAPI document is made too. The CLI reads them only to
 * draw tables, and prints them untouched for --json.
 */
import type { BatchResponse, UsageResponse } from '@tollgate/contracts';

export type {
  AdjustmentResponse,
  BalanceResponse,
  BatchResponse,
  BatchRowResponse,
  ChannelDeletedResponse,
  ChannelHealthResponse,
  ChannelResponse,
  ChannelTestResponse,
  CreatedKeyResponse,
  GrantResponse,
  GroupResponse,
  HoldResponse,
  KeyResponse,
  LedgerEntryResponse,
  NamedLedgerEntryResponse,
  PriceResponse,
  ReconcileResponse,
  RequestLogEntryResponse,
  RequestTraceResponse,
  UsageResponse,
  UserResponse,
} from '@tollgate/contracts';

/** A list as every list route answers it. */
export interface ListResponse<T> {
  object: 'list';
  data: T[];
  next_cursor?: string | null;
}

export type FailedBatchRowResponse = BatchResponse['failed_rows'][number];
export type UsageRowResponse = UsageResponse['data'][number];
