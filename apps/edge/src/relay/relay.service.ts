import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DenialException, DOCUMENTED_ERRORS } from '@tollgate/errors';
import type { EdgeConfig } from '../edge.config.js';
import { invalid, isJsonObject } from '../openai/body-fields.js';
import type { EndpointSpec } from '../openai/endpoint.js';
import { PrincipalService } from '../principal/principal.service.js';
import { EDGE_CONFIG } from '../tokens.js';
import { AttemptLoop } from './attempt-loop.js';
import { ClientConnection } from './client-connection.js';
import { HoldSettler } from './hold-settler.js';
import { InputTokenRatios } from './input-token-ratios.js';
import { OutboundBody } from './outbound-body.js';
import { elapsed, type Exchange, type RelayOutcome } from './relay-exchange.js';
import { RequestAdmission } from './request-admission.js';
import { requestedModel } from './requested-model.js';

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
    private readonly attempts: AttemptLoop,
    private readonly holds: HoldSettler,
    private readonly ratios: InputTokenRatios,
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

    const estimate = spec.estimate(body, this.config);
    const { first, hold } = await this.admission.admit({
      principal,
      model,
      endpoint: spec.endpoint,
      estimate,
      tid: request.tid,
    });
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
      outbound: spec.outbound?.(body) ?? new OutboundBody(body, request.rawBody, stream),
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
      this.holds.settle({
        holdId: hold.holdId,
        tid: request.tid,
        principal,
        model,
        outcome,
        latencyMs: elapsed(started),
        stream,
      });
    }
  }
}
