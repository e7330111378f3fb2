import type { ChannelType } from '@tollgate/contracts';

/** The channel fields a provider needs to address its upstream. */
export interface UpstreamTarget {
  baseUrl: string;
  apiKey: string;
}

/** One HTTP request to send upstream, described, not sent. */
export interface UpstreamCall {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The seam for provider types: everything the router must know that differs
 * between providers. Add a type to CHANNEL_TYPES, implement this, register it
 * in PROVIDERS (which does not compile until every type has an adapter), and
 * widen the `channels_type_check` constraint in a migration.
 */
export interface ProviderAdapter {
  readonly type: ChannelType;
  /** A cheap authenticated request whose 2xx proves the key works (auto-enable). */
  keyCheck(target: UpstreamTarget): UpstreamCall;
  /** The smallest real completion (admin "test channel"). */
  testCompletion(target: UpstreamTarget, upstreamModel: string): UpstreamCall;
  /** Error codes in the upstream body that mean the key is dead or out of credit. */
  readonly deadKeyErrorCodes: ReadonlySet<string>;
}
