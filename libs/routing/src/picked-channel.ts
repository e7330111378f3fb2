import type { PickedChannel } from '@tollgate/contracts';
import type { Selection } from './channel-selector.js';
import { upstreamModelFor } from './routable-channel.js';

/** A selection as the edge calls the upstream with it (the same whether the router or the edge picked). */
export function pickedChannelOf(
  selection: Selection,
  model: string,
  health: { hasHistory(channelId: number): boolean },
): PickedChannel {
  const { channel, pinned } = selection;
  return {
    channelId: channel.id,
    name: channel.name,
    type: channel.type,
    baseUrl: channel.baseUrl,
    apiVersion: channel.apiVersion,
    apiKey: channel.apiKey,
    upstreamModel: upstreamModelFor(channel, model),
    pinned,
    timeouts: { ...channel.timeouts },
    reportSuccess: health.hasHistory(channel.id),
  };
}
