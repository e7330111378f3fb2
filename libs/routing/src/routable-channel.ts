import type { ChannelStatus, ChannelTimeouts, ChannelType } from '@tollgate/contracts';

/** One channel as the in-memory table holds it: what a pick needs, nothing to query. */
export interface RoutableChannel {
  id: number;
  name: string;
  type: ChannelType;
  baseUrl: string;
  apiVersion: string | null;
  /** Decrypted at load; null when it would not decrypt (wrong CHANNEL_SECRET_KEY): never routed. */
  apiKey: string | null;
  models: ReadonlySet<string>;
  modelMapping: Readonly<Record<string, string>>;
  groups: ReadonlySet<string>;
  priority: number;
  weight: number;
  status: ChannelStatus;
  statusReason: string | null;
  /** Effective values: the channel's own, else the configured defaults. */
  timeouts: ChannelTimeouts;
}

/** The upstream's name for a requested model: the channel's mapping, else the same name. */
export function upstreamModelFor(channel: Pick<RoutableChannel, 'modelMapping'>, model: string): string {
  return Object.hasOwn(channel.modelMapping, model) ? (channel.modelMapping[model] ?? model) : model;
}
