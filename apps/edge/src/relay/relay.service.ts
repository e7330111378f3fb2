import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  BillingSubjects,
  RouterSubjects,
  type Hold,
  type PickedChannel,
  type Principal,
  type Usage,
  type UsageEstimate,
} from '@tollgate/contracts';
import { DenialException, DOCUMENTED_ERRORS } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import type { EdgeConfig } from '../edge.config.js';
import { invalid, isJsonObject, type JsonObject } from '../openai/body-fields.js';
import type { EndpointSpec } from '../openai/endpoint.js';
import { tokenUsage } from '../openai/token-usage.js';
import { TID_RESPONSE_HEADER } from '../http/request-context.js';
import { PrincipalService } from '../principal/principal.service.js';
import { SettlementPublisher } from '../settlement/settlement.publisher.js';
import { EDGE_CONFIG, LOGGER, NATS_BUS } from '../tokens.js';
import { isTimeout, UpstreamClient, type UpstreamResult } from '../upstream/upstream.client.js';
import { ClientConnection } from './client-connection.js';
import { OutboundBody } from './outbound-body.js';
import { requestedModel } from './requested-model.js';
import { StreamFilter } from './stream-filter.js';
import { relayStream } from './stream-relay.js';
import { errorCode, parseJsonObject, passThroughError, readErrorBody } from './upstream-body.js';
import { denialAfterFailures, isRetryableStatus, parseRetryAfter, type AttemptFailure } from './upstream-failure.js';

/** Upstream response headers that describe the answer and may be passed to the client. */
const PASSED_HEADERS = ['content-type', 'openai-processing-ms', 'x-request-id'] as const;
/** A client that left before its answer (nginx's convention; never sent, only recorded). */
const CLIENT_CLOSED_REQUEST = 499;
const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, images: 0, characters: 0 };

type UpstreamResponse = Extract<UpstreamResult, { kind: 'response' }>;

/** One client request on its way through the relay. */
interface Exchange {
  spec: EndpointSpec;
  request: FastifyRequest;
  reply: FastifyReply;
  body: JsonObject;
  /** The model the client asked for (or the endpoint's default): what it is routed, billed and answered as. */
  model: string;
  principal: Principal;
  stream: boolean;
  estimate: UsageEstimate;
  outbound: OutboundBody;
  client: ClientConnection;
}

/** How the request ended, for the settlement. */
interface RelayOutcome {
  /** The status the client saw. */
  status: number;
  /** What to charge; null = nothing was delivered, the hold is released in full. */
  usage: Usage | null;
  channelId: number | null;
}

type AttemptResult = { done: RelayOutcome } | { failed: AttemptFailure };

/**
 * The request path of ARCHITECTURE.md for every OpenAI endpoint: auth →
 * body validation → router pick → billing hold → upstream (retrying on
 * another channel while nothing was sent) → settlement. The order gives the
 * documented precedence: 401 → 403 → 400 → channel errors → 429 → quota.
 */
@Injectable()
export class RelayService {
  constructor(
    private readonly principals: PrincipalService,
    private readonly upstream: UpstreamClient,
    private readonly settlements: SettlementPublisher,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async relay(spec: EndpointSpec, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const started = performance.now();
    const body = isJsonObject(request.body) ? request.body : null;
    const { model, problem } = requestedModel(body, spec);

    const principal = await this.principals.authenticate(request, model);
    if (!body) throw invalid('body', 'the request body must be a JSON object');
    if (problem) throw problem;
    spec.validate(body);
    const stream = spec.streams && body.stream === true;

    const estimate = spec.estimate(body, this.config);
    const { first, hold } = await this.pickAndReserve(principal, model, estimate, request.tid);
    if (hold.rateLimit) {
      // The IETF RateLimit fields, so clients can pace themselves before they hit a 429.
      void reply.headers({
        'ratelimit-limit': String(hold.rateLimit.limit),
        'ratelimit-remaining': String(hold.rateLimit.remaining),
        'ratelimit-reset': String(hold.rateLimit.resetSeconds),
      });
    }

    const exchange: Exchange = {
      spec,
      request,
      reply,
      body,
      model,
      principal,
      stream,
      estimate,
      outbound: new OutboundBody(body, request.rawBody, stream),
      client: new ClientConnection(reply.raw),
    };
    let outcome: RelayOutcome = { status: 500, usage: null, channelId: first.channelId };
    try {
      outcome = await this.forward(exchange, first);
    } catch (error) {
      outcome = {
        ...outcome,
        status: error instanceof DenialException ? DOCUMENTED_ERRORS[error.denial.reason].status : 500,
      };
      throw error;
    } finally {
      exchange.client.dispose();
      this.settlements.publish({
        holdId: hold.holdId,
        tid: request.tid,
        userId: principal.userId,
        keyId: principal.keyId,
        model,
        channelId: outcome.channelId,
        succeeded: outcome.usage !== null,
        usage: outcome.usage ?? NO_USAGE,
        httpStatus: outcome.status,
        latencyMs: Math.round(performance.now() - started),
        stream,
      });
    }
  }

  /** Tries channels until one answers with something other than a retryable failure. */
  private async forward(exchange: Exchange, first: PickedChannel): Promise<RelayOutcome> {
    const tried: number[] = [];
    let channel: PickedChannel | null = first;
    let lastChannelId = first.channelId;
    let lastFailure: AttemptFailure | null = null;

    for (let attempt = 0; channel !== null; attempt++) {
      tried.push(channel.channelId);
      lastChannelId = channel.channelId;
      const result = await this.attempt(exchange, channel);
      if ('done' in result) return result.done;
      lastFailure = result.failed;
      if (exchange.client.gone) break;
      // A pinned channel is the only one the client may use: its failure is final.
      const canRetry: boolean = !channel.pinned && attempt < this.config.UPSTREAM_MAX_RETRIES;
      channel = canRetry ? await this.pickForRetry(exchange, tried) : null;
    }
    if (exchange.client.gone) return { status: CLIENT_CLOSED_REQUEST, usage: null, channelId: lastChannelId };
    this.logger.warn({ tried, failure: lastFailure }, 'no upstream attempt succeeded');
    throw DenialException.of(denialAfterFailures(lastFailure));
  }

  /** One upstream call. Nothing reaches the client unless the answer is final (not retried). */
  private async attempt(exchange: Exchange, channel: PickedChannel): Promise<AttemptResult> {
    const { spec, model, client } = exchange;
    const started = performance.now();
    const result = await this.upstream.send({
      channel,
      path: spec.upstreamPath,
      body: exchange.outbound.for(channel.upstreamModel),
      signal: client.signal,
    });
    if (client.gone) {
      if (result.kind === 'response') result.body.destroy();
      this.logger.info(
        { channelId: channel.channelId },
        'client left before the upstream answered; upstream call aborted',
      );
      return { done: { status: CLIENT_CLOSED_REQUEST, usage: null, channelId: channel.channelId } };
    }
    if (result.kind === 'failure') {
      this.reportOutcome(channel, model, 0, elapsed(started), null, null, result.timedOut);
      this.logger.warn({ channelId: channel.channelId, reason: result.reason }, 'upstream call failed');
      return { failed: { kind: 'network', timedOut: result.timedOut } };
    }
    if (isRetryableStatus(result.status)) {
      const errorBody = await readErrorBody(result.body);
      const retryAfterSeconds = parseRetryAfter(result.headers['retry-after']);
      this.reportOutcome(
        channel,
        model,
        result.status,
        elapsed(started),
        retryAfterSeconds,
        errorCode(errorBody),
        false,
      );
      this.logger.warn({ channelId: channel.channelId, status: result.status }, 'upstream refused');
      return { failed: { kind: 'status', status: result.status, retryAfterSeconds } };
    }

    const success = result.status >= 200 && result.status < 300;
    const contentType = headerText(result.headers['content-type']);
    if (success && exchange.stream && contentType.includes('text/event-stream')) {
      return { done: await this.relayEvents(exchange, channel, result, started) };
    }
    if (success && !contentType.includes('json')) {
      return { done: await this.relayBinary(exchange, channel, result, started) };
    }

    // JSON is read whole before anything is sent, so a body that breaks off can still go to another channel.
    let raw: Buffer;
    try {
      raw = Buffer.from(await result.body.arrayBuffer());
    } catch (error) {
      if (client.gone) return { done: { status: CLIENT_CLOSED_REQUEST, usage: null, channelId: channel.channelId } };
      const timedOut = isTimeout(error);
      this.reportOutcome(channel, model, 0, elapsed(started), null, null, timedOut);
      this.logger.warn({ channelId: channel.channelId, err: describeError(error) }, 'upstream body broke off');
      return { failed: { kind: 'network', timedOut } };
    }
    const parsed = contentType.includes('json') ? parseJsonObject(raw) : null;
    this.reportOutcome(
      channel,
      model,
      result.status,
      elapsed(started),
      null,
      success ? null : errorCode(parsed),
      false,
    );
    return { done: this.respondJson(exchange, channel, result, raw, parsed) };
  }

  /** A final JSON answer: a success (model name restored) or an upstream error passed through with the tid. */
  private respondJson(
    exchange: Exchange,
    channel: PickedChannel,
    result: UpstreamResponse,
    raw: Buffer,
    parsed: JsonObject | null,
  ): RelayOutcome {
    const { reply, model } = exchange;
    void reply.headers(passedHeaders(result.headers)).code(result.status);
    if (result.status >= 300) {
      void reply
        .header('content-type', 'application/json')
        .send(JSON.stringify(passThroughError(parsed, raw, exchange.request.tid)));
      return { status: result.status, usage: null, channelId: channel.channelId };
    }
    // Responses name the model the client asked for, not the channel's upstream name.
    if (parsed && channel.upstreamModel !== model && 'model' in parsed) {
      parsed.model = model;
      void reply.send(JSON.stringify(parsed));
    } else {
      void reply.send(raw);
    }
    return {
      status: result.status,
      usage: exchange.spec.usageFromResponse(parsed, exchange.body, exchange.estimate),
      channelId: channel.channelId,
    };
  }

  /**
   * A final answer that is not JSON (speech audio): piped through as it
   * arrives. All or nothing for billing: audio cut off is not usable, so a
   * transfer that does not finish is not charged.
   */
  private async relayBinary(
    exchange: Exchange,
    channel: PickedChannel,
    result: UpstreamResponse,
    started: number,
  ): Promise<RelayOutcome> {
    const { reply, model } = exchange;
    const headers = clientHeaders(reply, result.headers, { [TID_RESPONSE_HEADER]: exchange.request.tid });
    const length = result.headers['content-length'];
    if (typeof length === 'string') headers['content-length'] = length;
    reply.hijack();
    reply.raw.writeHead(result.status, headers);
    const firstByteMs = elapsed(started);
    try {
      await pipeline(result.body, reply.raw);
    } catch (error) {
      if (exchange.client.gone) {
        this.reportOutcome(channel, model, result.status, firstByteMs, null, null, false);
        return { status: CLIENT_CLOSED_REQUEST, usage: null, channelId: channel.channelId };
      }
      const timedOut = isTimeout(error);
      this.reportOutcome(channel, model, 0, elapsed(started), null, null, timedOut);
      this.logger.warn(
        { channelId: channel.channelId, err: describeError(error) },
        'upstream body broke off mid-transfer',
      );
      return { status: result.status, usage: null, channelId: channel.channelId };
    }
    this.reportOutcome(channel, model, result.status, firstByteMs, null, null, false);
    return {
      status: result.status,
      usage: exchange.spec.usageFromResponse(null, exchange.body, exchange.estimate),
      channelId: channel.channelId,
    };
  }

  /**
   * A stream: relayed event by event from the moment the upstream answers
   * 200 — from then on nothing is retried. Whatever happens, the client is
   * charged for what was produced (upstream usage, else tokens counted from
   * the streamed text): a stream the client left, or the upstream broke off,
   * is a partial delivery. Only a stream that produced nothing is free.
   */
  private async relayEvents(
    exchange: Exchange,
    channel: PickedChannel,
    result: UpstreamResponse,
    started: number,
  ): Promise<RelayOutcome> {
    const { reply, model, request } = exchange;
    const filter = new StreamFilter({
      stripUsageChunk: exchange.outbound.usageAddedByEdge,
      clientModel: channel.upstreamModel !== model ? model : null,
    });
    const firstByteMs = elapsed(started);
    reply.hijack();
    const streamed = await relayStream({
      upstream: result.body,
      raw: reply.raw,
      headers: clientHeaders(reply, result.headers, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        // Proxies such as nginx would otherwise buffer the stream.
        'x-accel-buffering': 'no',
        [TID_RESPONSE_HEADER]: request.tid,
      }),
      filter,
      client: exchange.client,
      tid: request.tid,
    });

    // One outcome per attempt, when its end is known: a stream that broke off counts against the channel.
    if (streamed.end === 'upstream_failed') {
      this.reportOutcome(channel, model, 0, elapsed(started), null, null, streamed.timedOut);
      this.logger.warn({ channelId: channel.channelId, reason: streamed.failure }, 'upstream stream broke off');
    } else {
      this.reportOutcome(channel, model, result.status, firstByteMs, null, null, false);
      if (streamed.end === 'client_gone') {
        this.logger.info({ channelId: channel.channelId }, 'client left mid-stream; upstream call aborted');
      }
    }

    const usage = tokenUsage(filter.usageHolder, exchange.estimate, () => filter.producedText());
    const delivered = streamed.end === 'completed' || filter.usageHolder !== null || usage.outputTokens > 0;
    return {
      status: streamed.end === 'client_gone' ? CLIENT_CLOSED_REQUEST : result.status,
      usage: delivered ? usage : null,
      channelId: channel.channelId,
    };
  }

  private async pick(model: string, principal: Principal, exclude: number[]): Promise<PickedChannel> {
    const reply = await this.bus.request(RouterSubjects.pick, {
      model,
      group: principal.group,
      pinnedChannel: principal.pinnedChannel,
      excludeChannelIds: exclude,
    });
    if (!reply.ok) throw DenialException.of(reply.denial);
    return reply.value;
  }

  /** A retry that finds no other channel ends the attempts; the last upstream failure is reported. */
  private async pickForRetry(exchange: Exchange, exclude: number[]): Promise<PickedChannel | null> {
    try {
      return await this.pick(exchange.model, exchange.principal, exclude);
    } catch (error) {
      if (error instanceof DenialException) return null;
      throw error;
    }
  }

  /**
   * The hold id is chosen here. If billing's answer is lost (a timeout, billing
   * restarting), the hold may exist all the same, so a release is published
   * for that id: billing applies it once the hold appears, or drops it if the
   * reserve never happened. No request leaves a hold behind.
   */
  private async reserve(principal: Principal, model: string, estimate: UsageEstimate, tid: string): Promise<Hold> {
    const holdId = randomUUID();
    let reply;
    try {
      reply = await this.bus.request(BillingSubjects.reserve, {
        holdId,
        userId: principal.userId,
        keyId: principal.keyId,
        keySuffix: principal.keySuffix,
        group: principal.group,
        model,
        rpmLimit: principal.rpmLimit,
        budgetMicros: principal.budgetMicros,
        estimate,
      });
    } catch (error) {
      this.releaseHold(holdId, principal, model, tid, 503);
      throw error;
    }
    if (!reply.ok) throw DenialException.of(reply.denial);
    return reply.value;
  }

  /**
   * Router and billing are asked at the same time: they do not depend on each
   * other, and a request pays one round trip instead of two. The documented
   * precedence still holds — a channel error wins over a 429 or a quota
   * refusal — and a hold placed for a request the router refused is released.
   */
  private async pickAndReserve(
    principal: Principal,
    model: string,
    estimate: UsageEstimate,
    tid: string,
  ): Promise<{ first: PickedChannel; hold: Hold }> {
    const [picked, reserved] = await Promise.allSettled([
      this.pick(model, principal, []),
      this.reserve(principal, model, estimate, tid),
    ]);
    if (picked.status === 'rejected') {
      if (reserved.status === 'fulfilled') {
        const reason: unknown = picked.reason;
        const status = reason instanceof DenialException ? DOCUMENTED_ERRORS[reason.denial.reason].status : 503;
        this.releaseHold(reserved.value.holdId, principal, model, tid, status);
      }
      throw picked.reason;
    }
    if (reserved.status === 'rejected') throw reserved.reason;
    return { first: picked.value, hold: reserved.value };
  }

  /** A failed settlement: billing returns the whole hold (applied once the hold exists, see SettlementConsumer). */
  private releaseHold(holdId: string, principal: Principal, model: string, tid: string, httpStatus: number): void {
    this.settlements.publish({
      holdId,
      tid,
      userId: principal.userId,
      keyId: principal.keyId,
      model,
      channelId: null,
      succeeded: false,
      usage: NO_USAGE,
      httpStatus,
      latencyMs: 0,
      stream: false,
    });
  }

  private reportOutcome(
    channel: PickedChannel,
    model: string,
    status: number,
    latencyMs: number,
    retryAfterSeconds: number | null,
    code: string | null,
    timedOut: boolean,
  ): void {
    // A success on a channel without health history changes nothing in the router (see PickedChannel.reportSuccess).
    if (status >= 200 && status < 300 && !channel.reportSuccess) return;
    this.bus.emit(RouterSubjects.outcome, {
      channelId: channel.channelId,
      model,
      status,
      latencyMs,
      retryAfterSeconds,
      errorCode: code,
      timedOut,
    });
  }
}

const elapsed = (started: number): number => Math.round(performance.now() - started);

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.toLowerCase() ?? '';
}

function passedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of PASSED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Headers for a response written directly to the socket (after hijack):
 * those already set on the reply (the X-Tid hook's), the upstream's passed
 * ones, then ours.
 */
function clientHeaders(
  reply: FastifyReply,
  upstream: IncomingHttpHeaders,
  own: Record<string, string>,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) out[name] = value;
  }
  return Object.assign(out, passedHeaders(upstream), own);
}

/** A short, secret-free description for logs. */
function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
