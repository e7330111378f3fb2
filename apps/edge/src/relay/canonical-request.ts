import type { IncomingHttpHeaders } from 'node:http';
import type { PickedChannel } from '@tollgate/contracts';
import { servesEndpoint, type CanonicalRequest, type ClientDialectName } from '@tollgate/providers';
import type { Exchange } from './relay-exchange.js';

/**
 * The client's headers a native upstream of its dialect is sent as they
 * came: the API version the client was written against and the beta
 * features it opted into (Claude Code sends several). Nothing else of the
 * client's passes: its key is the gateway's, not the upstream's.
 */
const NATIVE_HEADERS: Readonly<Record<ClientDialectName, readonly string[]>> = {
  messages: ['anthropic-version', 'anthropic-beta'],
  responses: [],
};

/** The client's headers of a dialect that its native upstream is sent (NATIVE_HEADERS). */
export function nativeHeadersOf(dialect: ClientDialectName, headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of NATIVE_HEADERS[dialect]) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') out[name] = value;
  }
  return out;
}

/**
 * One client request as a channel's adapter takes it. OpenAI's endpoints:
 * the checked body. A client dialect's request: its own bytes for a channel
 * whose type speaks the dialect (OpenAI's Responses on openai and azure,
 * Anthropic's Messages on anthropic), its chat form for any other.
 */
export function canonicalRequest(
  exchange: Exchange,
  channel: PickedChannel,
  defaultMaxTokens: number,
): CanonicalRequest {
  const dialect = exchange.dialect;
  const target = { baseUrl: channel.baseUrl, apiKey: channel.apiKey, apiVersion: channel.apiVersion };
  if (dialect && exchange.nativeOutbound && servesEndpoint(channel.type, dialect.dialect.nativeEndpoint)) {
    const native = exchange.nativeOutbound;
    return {
      endpoint: dialect.dialect.nativeEndpoint,
      target,
      upstreamModel: channel.upstreamModel,
      stream: exchange.stream,
      body: exchange.body,
      openAiBytes: () => native.for(channel.upstreamModel),
      defaultMaxTokens,
      contentType: 'application/json',
      nativeHeaders: nativeHeadersOf(dialect.dialect.name, exchange.request.headers),
    };
  }
  return {
    endpoint: dialect ? 'chat.completions' : exchange.spec.endpoint,
    target,
    upstreamModel: channel.upstreamModel,
    stream: exchange.stream,
    body: dialect ? dialect.chat : exchange.body,
    openAiBytes: () => exchange.outbound.for(channel.upstreamModel),
    defaultMaxTokens,
    contentType: exchange.outbound.contentType(channel.upstreamModel),
    nativeHeaders: {},
  };
}

/** Whether the adapter got the client dialect's own request (its answer is the dialect's already). */
export const isNative = (exchange: Exchange, request: CanonicalRequest): boolean =>
  exchange.dialect !== null && request.endpoint === exchange.dialect.dialect.nativeEndpoint;
