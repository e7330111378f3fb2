import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DenialException, DenialReason, DOCUMENTED_ERRORS } from '@tollgate/errors';
import { dialectRequest, routedEndpoint, type DialectRequest } from '../dialects/dialect-request.js';
import { StoredResponses } from '../dialects/stored-responses.js';
import type { EdgeConfig } from '../edge.config.js';
import { invalid, isJsonObject } from '../openai/body-fields.js';
import type { EndpointSpec } from '../openai/endpoint.js';
import { PrincipalService } from '../principal/principal.service.js';
import { EDGE_CONFIG } from '../tokens.js';
import { AttemptLoop } from './attempt-loop.js';
import { ChannelPicker } from './channel-picker.js';
import { ClientConnection } from './client-connection.js';
import { HoldSettler } from './hold-settler.js';
import { InputTokenRatios } from './input-token-ratios.js';
import { OutboundBody } from './outbound-body.js';
import { elapsed, type Exchange, type RelayOutcome } from './relay-exchange.js';
import { RequestAdmission, type Admission, type AdmissionQuery } from './request-admission.js';
import { requestedModel } from './requested-model.js';
import { edgeMetrics } from '../metrics/edge-metrics.js';

/**
 * The request path of docs/architecture.md for every OpenAI endpoint: auth →
 * body validation → admission (router pick and billing hold) → upstream
 * (retrying on another channel while nothing was sent) → settlement. The
 * order gives the documented precedence: 401 → 403 → 400 → channel errors →
 * 429 → quota.
 */
@Injectable()
export class RelayService {
  constructor(
    private readonly principals: PrincipalService,
    private readonly admission: RequestAdmission,
    private readonly picker: ChannelPicker,
    private readonly attempts: AttemptLoop,
    private readonly holds: HoldSettler,
    private readonly ratios: InputTokenRatios,
    private readonly storedResponses: StoredResponses,
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
  ) {}

  async relay(spec: EndpointSpec, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const started = performance.now();
    const body = isJsonObject(request.body) ? request.body : null;
    const { model, problem } = requestedModel(body, spec);

    const principal = await this.principals.authenticate(request, model);
    if (!body) {
      throw invalid('body', `the request body must be ${spec.outbound ? 'multipart/form-data' : 'a JSON object'}`);
    }
    if (problem) throw problem;
    spec.validate(body);
    await spec.inspect?.(body);
    const stream = spec.streams && body.stream === true;
    const dialect = spec.dialect ? dialectRequest(spec.dialect, body) : null;
    const continuation =
      spec.dialect?.name === 'responses' ? await this.storedResponses.continuation(body, principal) : null;
    const endpoint = dialect ? routedEndpoint(dialect) : spec.endpoint;

    const estimate = spec.estimate(dialect ? dialect.chat : body, this.config);
    // The stored conversation a follow-up continues is input the edge cannot see: its recorded size is held too.
    if (continuation) estimate.inputTokens += continuation.contextTokens;
    const { first, hold, admission } = await this.admit(
      { principal, model, endpoint, storedOn: continuation?.storedOn, estimate, tid: request.tid },
      dialect,
    );
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
      dialect,
      endpoint,
      storedOn: continuation?.storedOn,
      model,
      principal,
      stream,
      estimate,
      outbound: dialect
        ? new OutboundBody(dialect.chat, undefined, stream)
        : (spec.outbound?.(body) ?? new OutboundBody(body, request.rawBody, stream)),
      // A native dialect request goes as the client wrote it: the usage comes in its own events, unasked.
      nativeOutbound: dialect ? new OutboundBody(body, request.rawBody, false) : null,
      client: new ClientConnection(reply.raw),
    };
    let outcome: RelayOutcome = { status: 500, usage: null, channelId: first.channelId };
    try {
      outcome = await this.attempts.forward(exchange, first);
    } catch (error) {
      outcome = {
        ...outcome,
        status: error instanceof DenialException ? DOCUMENTED_ERRORS[error.denial.reason].status : 500,
      };
      throw error;
    } finally {
      exchange.client.dispose();
      if (outcome.usage) this.ratios.learn(model, estimate, outcome.reportedInputTokens);
      if (outcome.storedResponseId && outcome.channelId !== null) {
        void this.storedResponses.remember(outcome.storedResponseId, {
          channelId: outcome.channelId,
          userId: principal.userId,
          model,
          contextTokens: outcome.usage ? outcome.usage.inputTokens + outcome.usage.outputTokens : estimate.inputTokens,
        });
      }
      edgeMetrics.requestEnded(
        model,
        outcome.channelId,
        dialect?.dialect.name ?? 'openai',
        outcome.status,
        stream,
        elapsed(started),
      );
      this.holds.settle({
        holdId: hold.holdId,
        tid: request.tid,
        principal,
        model,
        outcome,
        latencyMs: elapsed(started),
        stream,
        admission,
      });
    }
  }

  /**
   * Admission, and for a request only a native channel can serve (a stored
   * response continued, a built-in tool) whose model no native channel
   * serves while others do, the 400 naming the field instead of the 503:
   * it is the field, not the model, that nothing serves.
   */
  private async admit(query: AdmissionQuery, dialect: DialectRequest | null): Promise<Admission> {
    try {
      return await this.admission.admit(query);
    } catch (error) {
      // The storing channel does not serve this model (or is gone): it alone could continue that response.
      // One with an open circuit answers NoAvailableChannel with a Retry-After, and stays the 503 it is.
      if (
        query.storedOn !== undefined &&
        error instanceof DenialException &&
        error.denial.reason === DenialReason.NoAvailableChannel &&
        error.denial.params?.retryAfterSeconds === undefined
      ) {
        throw invalid(
          'previous_response_id',
          `previous_response_id names a response stored on a channel that does not serve ${query.model}`,
        );
      }
      const nativeOnly = dialect?.nativeOnly;
      if (
        !dialect ||
        !nativeOnly ||
        query.storedOn !== undefined ||
        !(error instanceof DenialException) ||
        error.denial.reason !== DenialReason.NoAvailableChannel
      )
        throw error;
      const other = await this.picker.another({ ...query, endpoint: 'chat.completions', exclude: [] });
      if (!other) throw error;
      throw invalid(
        nativeOnly,
        `${nativeOnly} is served only by channels that speak the ${dialect.dialect.name} API natively, and none serves ${query.model}`,
      );
    }
  }
}
