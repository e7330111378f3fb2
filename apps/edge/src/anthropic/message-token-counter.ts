import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { compile, CountTokensRequest, type PickedChannel, type Principal } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { Logger } from '@tollgate/observability';
import {
  dialectErrorOf,
  isJsonObject,
  messagesDialect,
  parseJsonObject,
  providerFor,
  type JsonObject,
} from '@tollgate/providers';
import { checkBody } from '../openai/body-check.js';
import { invalid } from '../openai/body-fields.js';
import { PrincipalService } from '../principal/principal.service.js';
import { ChannelPicker } from '../relay/channel-picker.js';
import { countChatInput } from '../relay/chat-input.js';
import { nativeHeadersOf } from '../relay/canonical-request.js';
import { OutboundBody } from '../relay/outbound-body.js';
import { requestedModel } from '../relay/requested-model.js';
import { readAnswerBytes } from '../relay/upstream-body.js';
import { LOGGER } from '../tokens.js';
import { UpstreamClient } from '../upstream/upstream.client.js';

const contract = compile(CountTokensRequest);

/** Refusals of the pick after which the edge counts itself: no anthropic channel for the model, or none free. */
const COUNT_LOCALLY: ReadonlySet<DenialReason> = new Set([
  DenialReason.NoAvailableChannel,
  DenialReason.ProviderRateLimited,
]);

/**
 * `POST /v1/messages/count_tokens`: Anthropic's own count when an
 * `anthropic` channel serves the model (the request passes as it came; it
 * is free upstream, so nothing is held or charged), else — or when that
 * upstream fails — the edge's own count of the request in chat form, the
 * same count its holds are sized from (o200k, images at their allowance).
 * Claude Code asks it before long prompts; an estimate is what it needs.
 */
@Injectable()
export class MessageTokenCounter {
  constructor(
    private readonly principals: PrincipalService,
    private readonly picker: ChannelPicker,
    private readonly upstream: UpstreamClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async count(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const body = isJsonObject(request.body) ? request.body : null;
    const { model, problem } = requestedModel(body, {});
    const principal = await this.principals.authenticate(request, model);
    if (!body) throw invalid('body', 'the request body must be a JSON object');
    if (problem) throw problem;
    checkBody(contract, body);

    const channel = await this.anthropicChannel(model, principal);
    if (channel && (await this.askUpstream(channel, request, reply, body))) return;
    const chat = messagesDialect.toChat(messagesDialect.withoutNativeOnlyFields(body));
    void reply
      .header('content-type', 'application/json')
      .send(JSON.stringify({ input_tokens: countChatInput(chat).total }));
  }

  private async anthropicChannel(model: string, principal: Principal): Promise<PickedChannel | null> {
    try {
      return await this.picker.pick({ model, endpoint: 'messages.count_tokens', principal, exclude: [] });
    } catch (error) {
      if (error instanceof DenialException && COUNT_LOCALLY.has(error.denial.reason)) return null;
      throw error;
    }
  }

  /** True when the upstream's answer (a count, or a refusal of the request) went to the client. */
  private async askUpstream(
    channel: PickedChannel,
    request: FastifyRequest,
    reply: FastifyReply,
    body: JsonObject,
  ): Promise<boolean> {
    const adapter = providerFor(channel.type);
    const outbound = new OutboundBody(body, request.rawBody, false);
    const nativeHeaders = nativeHeadersOf('messages', request.headers);
    const call = adapter.request({
      endpoint: 'messages.count_tokens',
      target: { baseUrl: channel.baseUrl, apiKey: channel.apiKey, apiVersion: channel.apiVersion },
      upstreamModel: channel.upstreamModel,
      stream: false,
      body,
      openAiBytes: () => outbound.for(channel.upstreamModel),
      defaultMaxTokens: 0,
      contentType: 'application/json',
      nativeHeaders,
    });
    const result = await this.upstream.send(call, channel);
    if (result.kind === 'failure') {
      this.logger.warn(
        { channelId: channel.channelId, reason: result.reason },
        'count_tokens upstream failed; counting here',
      );
      return false;
    }
    const success = result.status >= 200 && result.status < 300;
    const raw = await readAnswerBytes(result.status, result.body);
    if (!raw) return false; // the count broke off: the edge counts itself
    const parsed = parseJsonObject(raw);
    if (success && parsed && typeof parsed.input_tokens === 'number') {
      void reply.header('content-type', 'application/json').send(raw);
      return true;
    }
    // The channel's own trouble (rate limit, overload, a dead key) is no answer to the client's question.
    if (success || adapter.classify(result.status, parsed).retryable) return false;
    const error = adapter.clientError(result.status, parsed, raw);
    const fallback = `The upstream provider answered ${result.status}.`;
    const envelope = messagesDialect.errorBody(result.status, dialectErrorOf(error.error, request.tid, fallback));
    void reply.code(result.status).header('content-type', 'application/json').send(JSON.stringify(envelope));
    return true;
  }
}
