import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PickedChannel, Principal, Usage } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { createLogger } from '@tollgate/observability';
import { AdmissionJournal } from '../grants/admission-journal.js';
import { EdgeGrants } from '../grants/edge-grants.js';
import type { JsonObject } from '../openai/body-fields.js';
import type { EndpointSpec, RequestEstimate } from '../openai/endpoint.js';
import { canonicalRequest } from '../relay/canonical-request.js';
import { ChannelPicker } from '../relay/channel-picker.js';
import { OutcomeReporter } from '../relay/outcome-reporter.js';
import { EdgeRoutingTable } from '../routing/edge-routing-table.js';
import { ClientConnection } from '../relay/client-connection.js';
import { OutboundBody } from '../relay/outbound-body.js';
import type { Exchange, UpstreamResponse } from '../relay/relay-exchange.js';
import { providerFor, type CanonicalRequest, type ProviderAdapter, type UpstreamBody } from '@tollgate/providers';
import { principal } from './principal-fixture.js';

export const TID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SILENT_LOGGER = createLogger('relay-spec', 'silent');

export function pickedChannel(channelId: number, overrides: Partial<PickedChannel> = {}): PickedChannel {
  return {
    channelId,
    name: `channel-${channelId}`,
    type: 'openai',
    baseUrl: 'https://upstream.invalid/v1',
    apiKey: `sk-upstream-${channelId}`,
    apiVersion: null,
    upstreamModel: 'gpt-4o',
    pinned: false,
    timeouts: { connectMs: 5000, firstByteMs: 120_000, idleMs: 60_000 },
    reportSuccess: false,
    ...overrides,
  };
}

export const ESTIMATE: RequestEstimate = {
  inputTokens: 12,
  inputAllowanceTokens: 0,
  outputTokens: 100,
  images: 0,
  imageSize: null,
  characters: 0,
};

/** What the fake endpoint reads from any answer: the test can tell it was asked. */
export const ENDPOINT_USAGE: Usage = {
  inputTokens: 12,
  outputTokens: 34,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  images: 0,
  characters: 0,
  audioSeconds: 0,
};

/** The ratio a hold's input is scaled by before anything is learned (HOLD_INPUT_MARGIN) in relay specs. */
export const HOLD_INPUT_MARGIN = 1.5;

/** A chat-like endpoint that accepts every body and reads ENDPOINT_USAGE from every answer. */
export function endpointSpec(overrides: Partial<EndpointSpec> = {}): EndpointSpec {
  return {
    endpoint: 'chat.completions',
    streams: true,
    validate: () => undefined,
    estimate: () => ESTIMATE,
    usageFromResponse: () => ENDPOINT_USAGE,
    ...overrides,
  };
}

/** A client's socket as ClientConnection sees it; `emit('close')` makes the client leave. */
export function clientSocket(): ServerResponse & EventEmitter {
  return Object.assign(new EventEmitter(), { destroyed: false, writableFinished: false }) as unknown as ServerResponse &
    EventEmitter;
}

/** What a reply was given: status, headers, payload, and whether the relay took the socket over. */
export interface ReplyRecord {
  status: number;
  headers: Record<string, unknown>;
  payload: string | Buffer | undefined;
  hijacked: boolean;
}

/** The parts of FastifyReply the relay uses, recording what it was given; `raw` is the client's socket. */
export function recordingReply(raw: ServerResponse = clientSocket()): { reply: FastifyReply; record: ReplyRecord } {
  const record: ReplyRecord = { status: 200, headers: {}, payload: undefined, hijacked: false };
  const reply = {
    raw,
    code(status: number) {
      record.status = status;
      return reply;
    },
    header(name: string, value: unknown) {
      record.headers[name.toLowerCase()] = value;
      return reply;
    },
    headers(values: Record<string, unknown>) {
      Object.assign(record.headers, values);
      return reply;
    },
    getHeaders() {
      return { ...record.headers };
    },
    send(payload: string | Buffer) {
      record.payload = payload;
      return reply;
    },
    hijack() {
      record.hijacked = true;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, record };
}

export interface ExchangeOptions {
  body?: JsonObject;
  /** The model the client is answered as; default: the body's. */
  model?: string;
  stream?: boolean;
  spec?: EndpointSpec;
  reply?: FastifyReply;
  principal?: Principal;
}

/** A chat request already admitted, as the relay hands it to the attempts. */
export function relayExchange(options: ExchangeOptions = {}): Exchange {
  const body = options.body ?? { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };
  const stream = options.stream ?? false;
  const reply = options.reply ?? recordingReply().reply;
  const request = { tid: TID, body, rawBody: Buffer.from(JSON.stringify(body)) } as unknown as FastifyRequest;
  return {
    spec: options.spec ?? endpointSpec(),
    request,
    reply,
    body,
    dialect: null,
    endpoint: (options.spec ?? endpointSpec()).endpoint,
    model: options.model ?? String(body.model),
    principal: options.principal ?? principal(),
    stream,
    estimate: ESTIMATE,
    outbound: new OutboundBody(body, request.rawBody, stream),
    nativeOutbound: null,
    client: new ClientConnection(reply.raw),
  };
}

/**
 * An upstream body as undici gives it: a readable stream of the source's
 * chunks that can also be read whole with arrayBuffer(). A source that
 * throws is a body that breaks off.
 */
export function upstreamBody(source: Iterable<string | Buffer> | AsyncIterable<string | Buffer>): UpstreamBody {
  async function* bytes(): AsyncGenerator<Buffer> {
    for await (const chunk of source) yield Buffer.from(chunk);
  }
  const readable = Readable.from(bytes());
  const arrayBuffer = async (): Promise<ArrayBuffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of readable) chunks.push(chunk as Buffer);
    const whole = Buffer.concat(chunks);
    return whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.length);
  };
  return Object.assign(readable, { arrayBuffer }) as unknown as UpstreamBody;
}

export function upstreamResponse(answer: {
  status: number;
  headers?: Record<string, string>;
  body?: string | Iterable<string | Buffer> | AsyncIterable<string | Buffer>;
}): UpstreamResponse {
  const source = answer.body ?? '';
  return {
    kind: 'response',
    status: answer.status,
    headers: answer.headers ?? {},
    body: upstreamBody(typeof source === 'string' ? [source] : source),
  };
}

/** An error shaped like undici's, with its code. */
export function upstreamError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

/** The adapter and canonical request an attempt on `channel` hands to its final answer. */
export function dialectOf(
  exchange: Exchange,
  channel: PickedChannel,
): { adapter: ProviderAdapter; canonical: CanonicalRequest } {
  return { adapter: providerFor(channel.type), canonical: canonicalRequest(exchange, channel, 4096) };
}

/**
 * A picker whose edge holds no routing table (its EdgeRoutingTable never
 * started): every pick is asked of the router on the fake bus.
 */
export function routerAskingPicker(bus: NatsBus): ChannelPicker {
  const routing = new EdgeRoutingTable(bus, SILENT_LOGGER, { ROUTING_TABLE_REFRESH_MS: 0 });
  return new ChannelPicker(bus, routing, new OutcomeReporter(bus, routing));
}

/** Grant settings for specs: small, so that a few requests get a key a grant. */
export const SPEC_GRANT_SETTINGS = {
  GRANTS_ENABLED: true,
  GRANT_HORIZON_MS: 2000,
  GRANT_MIN_REQUESTS: 4,
  GRANT_IDLE_MS: 5000,
  ADMISSION_APPEND_TIMEOUT_MS: 1000,
  ADMISSION_SUBJECT: 'tollgate.billing.admissions',
} as const;

/** EdgeGrants over `bus`; off unless `enabled` (every request then reserves per request, as before grants). */
export function edgeGrants(bus: NatsBus, enabled = false, clock?: () => number): EdgeGrants {
  const config = { ...SPEC_GRANT_SETTINGS, GRANTS_ENABLED: enabled };
  return new EdgeGrants(
    bus,
    new AdmissionJournal(bus, SILENT_LOGGER, config),
    '0b6a3c56-8f4f-4c1e-9d0f-6f1f0a3f2b11',
    config,
    SILENT_LOGGER,
    clock,
  );
}
