import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PickedChannel, Principal, UpstreamEndpoint, Usage } from '@tollgate/contracts';
import type { CanonicalRequest, JsonObject, ProviderAdapter, UpstreamResult } from '@tollgate/providers';
import type { DialectRequest } from '../dialects/dialect-request.js';
import type { EndpointSpec, RequestEstimate } from '../openai/endpoint.js';
import type { ClientConnection } from './client-connection.js';

/** A client that left before its answer (nginx's convention; never sent, only recorded). */
export const CLIENT_CLOSED_REQUEST = 499;

/**
 * The request body as sent to one channel: JSON (OutboundBody) or a form
 * (the upload endpoints' MultipartOutbound).
 */
export interface OutboundBytes {
  /** True when the client did not ask for the usage chunk the edge requests: the relay drops it again. */
  readonly usageAddedByEdge: boolean;
  /** Work that cannot be done synchronously (encoding a form), done before `for` and `contentType`. */
  prepare?(upstreamModel: string): Promise<void>;
  for(upstreamModel: string): Buffer | string;
  contentType(upstreamModel: string): string;
}

/** One client request on its way through the relay. */
export interface Exchange {
  spec: EndpointSpec;
  request: FastifyRequest;
  reply: FastifyReply;
  /** As the client wrote it (in its dialect), checked. */
  body: JsonObject;
  /** The client dialect's request (its chat form, where it must be served), or null for OpenAI's own endpoints. */
  dialect: DialectRequest | null;
  /** What channels are picked by (the spec's endpoint, or chat / the dialect's native one). */
  endpoint: UpstreamEndpoint;
  /** The channel storing the response this request continues: retries stay on it (there are none). */
  storedOn?: number;
  /** The model the client asked for (or the endpoint's default): what it is routed, billed and answered as. */
  model: string;
  principal: Principal;
  stream: boolean;
  /** As counted; the hold was this with its input scaled by the model's ratio (InputTokenRatios). */
  estimate: RequestEstimate;
  /** The body a channel gets in OpenAI's form (for a dialect request: its chat form; for an upload: its form). */
  outbound: OutboundBytes;
  /** A dialect request's own bytes, for a channel that speaks the dialect (null for OpenAI's endpoints). */
  nativeOutbound: OutboundBytes | null;
  client: ClientConnection;
}

/** How the request ended, for the settlement. */
export interface RelayOutcome {
  /** The status the client saw. */
  status: number;
  /** What to charge; null = nothing was delivered, the hold is released in full. */
  usage: Usage | null;
  channelId: number | null;
  /** The input tokens the upstream itself reported (absent: it reported none, the usage holds the edge's count). */
  reportedInputTokens?: number;
  /** The id of a Responses answer the upstream stored (store not false), to route its follow-ups. */
  storedResponseId?: string;
}

export type UpstreamResponse = Extract<UpstreamResult, { kind: 'response' }>;

/** An upstream answer that is final (it is not retried): it goes to the client. */
export interface FinalAnswer {
  exchange: Exchange;
  channel: PickedChannel;
  response: UpstreamResponse;
  /** The channel type's adapter, and the request as it gave it to the adapter: to translate the answer back. */
  adapter: ProviderAdapter;
  canonical: CanonicalRequest;
  /** When the upstream call started (`performance.now()`), for the latency the router is told. */
  started: number;
}

/** The outcome of a request whose client left: nothing delivered, nothing charged. */
export const clientLeft = (channelId: number): RelayOutcome => ({
  status: CLIENT_CLOSED_REQUEST,
  usage: null,
  channelId,
});

export const elapsed = (started: number): number => Math.round(performance.now() - started);
