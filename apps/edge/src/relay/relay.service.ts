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
import { DenialException } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import type { EdgeConfig } from '../edge.config.js';
import { invalid, type EndpointSpec, type JsonObject } from '../openai/endpoint.js';
import { PrincipalService } from '../principal/principal.service.js';
import { SettlementPublisher } from '../settlement/settlement.publisher.js';
import { EDGE_CONFIG, LOGGER, NATS_BUS } from '../tokens.js';
import { UpstreamClient, type UpstreamResult } from '../upstream/upstream.client.js';
import { denialAfterFailures, isRetryableStatus, parseRetryAfter, type AttemptFailure } from './upstream-failure.js';

/** Upstream response headers that describe the body and may be passed to the client. */
const PASSED_HEADERS = ['content-type', 'openai-processing-ms', 'x-request-id'];
const MAX_ERROR_BODY = 64 * 1024;

interface RelayOutcome {
  status: number;
  usage: Usage | null;
  channelId: number | null;
}

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
    const body = request.body;
    const json: JsonObject | null =
      body && typeof body === 'object' && !Array.isArray(body) ? (body as JsonObject) : null;
    const model = typeof json?.model === 'string' && json.model !== '' ? json.model : null;

    const principal = await this.principals.authenticate(request, model);
    if (!json) throw invalid('body', 'the request body must be a JSON object');
    if (!model) throw invalid('model', 'model is required');
    spec.validate(json);

    const first = await this.pick(model, principal, []);
    const estimate = spec.estimate(json, this.config);
    const hold = await this.reserve(principal, model, estimate);

    let outcome: RelayOutcome = { status: 0, usage: null, channelId: null };
    try {
      outcome = await this.forward(spec, json, request, reply, principal, model, first, estimate);
    } finally {
      const succeeded = outcome.status >= 200 && outcome.status < 300;
      this.settlements.publish({
        holdId: hold.holdId,
        tid: request.tid,
        userId: principal.userId,
        keyId: principal.keyId,
        model,
        channelId: outcome.channelId,
        succeeded,
        usage:
          succeeded && outcome.usage ? outcome.usage : { inputTokens: 0, outputTokens: 0, images: 0, characters: 0 },
        httpStatus: outcome.status,
        latencyMs: Math.round(performance.now() - started),
        stream: false,
      });
    }
  }

  private async forward(
    spec: EndpointSpec,
    body: JsonObject,
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    model: string,
    first: PickedChannel,
    estimate: UsageEstimate,
  ): Promise<RelayOutcome> {
    const tried: number[] = [];
    let channel: PickedChannel | null = first;
    let lastFailure: AttemptFailure | null = null;

    for (let attempt = 0; channel !== null; attempt++) {
      tried.push(channel.channelId);
      const attemptStarted = performance.now();
      const result = await this.upstream.send({
        channel,
        path: spec.upstreamPath,
        body: this.outboundBody(body, request.rawBody, channel.upstreamModel, model),
      });
      const canRetry: boolean = !channel.pinned && attempt < this.config.UPSTREAM_MAX_RETRIES;

      if (result.kind === 'failure') {
        this.reportOutcome(channel, model, 0, attemptStarted, null, null, result.timedOut);
        this.logger.warn({ channelId: channel.channelId, reason: result.reason }, 'upstream call failed');
        lastFailure = { kind: 'network', timedOut: result.timedOut };
      } else if (isRetryableStatus(result.status)) {
        const errorBody = await readBounded(result.body);
        const retryAfterSeconds = parseRetryAfter(result.headers['retry-after']);
        this.reportOutcome(
          channel,
          model,
          result.status,
          attemptStarted,
          retryAfterSeconds,
          errorCode(errorBody),
          false,
        );
        this.logger.warn({ channelId: channel.channelId, status: result.status }, 'upstream refused');
        lastFailure = { kind: 'status', status: result.status, retryAfterSeconds };
      } else {
        this.reportOutcome(channel, model, result.status, attemptStarted, null, null, false);
        const usage = await this.respond(spec, body, estimate, result, reply, request.tid, channel, model);
        return { status: result.status, usage, channelId: channel.channelId };
      }

      channel = canRetry ? await this.pickForRetry(model, principal, tried) : null;
    }
    throw DenialException.of(denialAfterFailures(lastFailure));
  }

  /** Sends a non-retryable upstream answer to the client: success, or a 4xx passed through. */
  private async respond(
    spec: EndpointSpec,
    body: JsonObject,
    estimate: UsageEstimate,
    result: Extract<UpstreamResult, { kind: 'response' }>,
    reply: FastifyReply,
    tid: string,
    channel: PickedChannel,
    model: string,
  ): Promise<Usage | null> {
    const raw = Buffer.from(await result.body.arrayBuffer());
    const contentType = String(result.headers['content-type'] ?? '');
    const isJson = contentType.includes('json');
    const parsed = isJson ? parseJsonObject(raw) : null;
    for (const name of PASSED_HEADERS) {
      const value = result.headers[name];
      if (value !== undefined) void reply.header(name, value);
    }
    void reply.code(result.status);

    if (result.status >= 400) {
      void reply.header('content-type', 'application/json').send(JSON.stringify(passThroughError(parsed, raw, tid)));
      return null;
    }
    // Responses name the model the client asked for, not the channel's upstream name.
    if (parsed && channel.upstreamModel !== model && 'model' in parsed) {
      parsed.model = model;
      void reply.send(JSON.stringify(parsed));
    } else {
      void reply.send(raw);
    }
    return spec.usageFromResponse(parsed, body, estimate);
  }

  /** The body as received when nothing changes, so it is not serialised again. */
  private outboundBody(
    body: JsonObject,
    raw: Buffer | undefined,
    upstreamModel: string,
    model: string,
  ): Buffer | string {
    if (upstreamModel === model && raw) return raw;
    return JSON.stringify({ ...body, model: upstreamModel });
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
  private async pickForRetry(model: string, principal: Principal, exclude: number[]): Promise<PickedChannel | null> {
    try {
      return await this.pick(model, principal, exclude);
    } catch (error) {
      if (error instanceof DenialException) return null;
      throw error;
    }
  }

  private async reserve(principal: Principal, model: string, estimate: UsageEstimate): Promise<Hold> {
    const reply = await this.bus.request(BillingSubjects.reserve, {
      userId: principal.userId,
      keyId: principal.keyId,
      keySuffix: principal.keySuffix,
      group: principal.group,
      model,
      rpmLimit: principal.rpmLimit,
      budgetMicros: principal.budgetMicros,
      estimate,
    });
    if (!reply.ok) throw DenialException.of(reply.denial);
    return reply.value;
  }

  private reportOutcome(
    channel: PickedChannel,
    model: string,
    status: number,
    started: number,
    retryAfterSeconds: number | null,
    code: string | null,
    timedOut: boolean,
  ): void {
    this.bus.emit(RouterSubjects.outcome, {
      channelId: channel.channelId,
      model,
      status,
      latencyMs: Math.round(performance.now() - started),
      retryAfterSeconds,
      errorCode: code,
      timedOut,
    });
  }
}

function parseJsonObject(raw: Buffer): JsonObject | null {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
  } catch {
    return null;
  }
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<JsonObject | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ERROR_BODY) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return parseJsonObject(Buffer.concat(chunks));
}

function errorCode(json: JsonObject | null): string | null {
  const error = json?.error;
  if (!error || typeof error !== 'object') return null;
  const code = (error as JsonObject).code ?? (error as JsonObject).type;
  return typeof code === 'string' ? code : null;
}

/** An upstream 4xx keeps its status and body; an OpenAI-shaped error gains the tid, anything else is wrapped. */
function passThroughError(parsed: JsonObject | null, raw: Buffer, tid: string): JsonObject {
  const error = parsed?.error;
  if (error && typeof error === 'object' && !Array.isArray(error)) {
    return { ...parsed, error: { ...(error as JsonObject), tid } };
  }
  return {
    error: {
      message: raw.toString('utf8').slice(0, 2000) || 'The upstream provider refused the request.',
      type: 'upstream_error',
      param: null,
      code: null,
      tid,
    },
  };
}
