import type { PickedChannel } from '@tollgate/contracts';
import type { CanonicalRequest } from '@tollgate/providers';
import type { Exchange } from './relay-exchange.js';

/** One client request as a channel's adapter takes it: the checked OpenAI-form body, for that channel. */
export function canonicalRequest(
  exchange: Exchange,
  channel: PickedChannel,
  defaultMaxTokens: number,
): CanonicalRequest {
  return {
    endpoint: exchange.spec.endpoint,
    target: { baseUrl: channel.baseUrl, apiKey: channel.apiKey, apiVersion: channel.apiVersion },
    upstreamModel: channel.upstreamModel,
    stream: exchange.stream,
    body: exchange.body,
    openAiBytes: () => exchange.outbound.for(channel.upstreamModel),
    defaultMaxTokens,
    contentType: exchange.outbound.contentType(channel.upstreamModel),
    nativeHeaders: {},
  };
}
