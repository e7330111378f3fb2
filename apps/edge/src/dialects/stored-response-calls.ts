import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { Logger } from '@tollgate/observability';
import { isJsonObject, parseJsonObject, providerFor } from '@tollgate/providers';
import { PrincipalService } from '../principal/principal.service.js';
import { ChannelPicker } from '../relay/channel-picker.js';
import { passedHeaders } from '../relay/client-headers.js';
import { readAnswerBytes } from '../relay/upstream-body.js';
import { LOGGER } from '../tokens.js';
import { UpstreamClient } from '../upstream/upstream.client.js';
import { StoredResponses } from './stored-responses.js';

/**
 * `GET` and `DELETE /v1/responses/{id}`: a stored response is read or
 * deleted where it is stored — the channel that made it (StoredResponses) —
 * for its owner only; anyone else is told it does not exist. Free: nothing
 * is generated. A deleted response is forgotten, so a follow-up naming it is
 * the 400 of an unknown one.
 */
@Injectable()
export class StoredResponseCalls {
  constructor(
    private readonly principals: PrincipalService,
    private readonly stored: StoredResponses,
    private readonly picker: ChannelPicker,
    private readonly upstream: UpstreamClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `responseId` reads the checked path parameter: after authentication, as 401 comes before 400. */
  async relay(
    request: FastifyRequest,
    reply: FastifyReply,
    responseId: () => string,
    method: 'GET' | 'DELETE',
  ): Promise<void> {
    const principal = await this.principals.authenticate(request, null);
    const id = responseId();
    const record = await this.stored.find(id, principal);
    if (!record) {
      throw new DenialException(DenialReason.ResourceNotFound, { detail: `no stored response ${id.slice(0, 80)}` });
    }
    const channel = await this.picker.pick({
      model: record.model,
      endpoint: 'responses',
      principal,
      exclude: [],
      storedOn: record.channelId,
    });
    const adapter = providerFor(channel.type);
    const call = adapter.storedResponse?.(
      { baseUrl: channel.baseUrl, apiKey: channel.apiKey, apiVersion: channel.apiVersion },
      id,
      method,
    );
    if (!call) throw new DenialException(DenialReason.NoAvailableChannel, { model: record.model });
    const result = await this.upstream.send(call, channel);
    if (result.kind === 'failure') {
      this.logger.warn({ channelId: channel.channelId, reason: result.reason }, 'stored response call failed');
      throw new DenialException(result.timedOut ? DenialReason.UpstreamTimeout : DenialReason.UpstreamUnavailable);
    }
    const success = result.status >= 200 && result.status < 300;
    const raw = await readAnswerBytes(result.status, result.body);
    if (!raw) throw new DenialException(DenialReason.UpstreamUnavailable);
    const parsed = parseJsonObject(raw);
    void reply.headers(passedHeaders(result.headers)).code(result.status).header('content-type', 'application/json');
    if (!success) {
      const body = adapter.clientError(result.status, parsed, raw);
      const error = isJsonObject(body.error) ? { ...body.error, tid: request.tid } : body.error;
      void reply.send(JSON.stringify({ ...body, error }));
      return;
    }
    if (method === 'DELETE') await this.stored.forget(id);
    if (parsed && channel.upstreamModel !== record.model && typeof parsed.model === 'string') {
      parsed.model = record.model;
      void reply.send(JSON.stringify(parsed));
      return;
    }
    void reply.send(raw);
  }
}
