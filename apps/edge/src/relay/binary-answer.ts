import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@tollgate/observability';
import { TID_RESPONSE_HEADER } from '../http/request-context.js';
import { LOGGER } from '../tokens.js';
import { describeFailure, isTimeout } from '@tollgate/providers';
import { clientHeaders } from './client-headers.js';
import { OutcomeReporter } from './outcome-reporter.js';
import { clientLeft, elapsed, type FinalAnswer, type RelayOutcome } from './relay-exchange.js';

/**
 * A final answer that is not JSON (speech audio): piped through as it
 * arrives. All or nothing for billing: audio cut off is not usable, so a
 * transfer that does not finish is not charged.
 */
@Injectable()
export class BinaryAnswer {
  constructor(
    private readonly outcomes: OutcomeReporter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async deliver({ exchange, channel, response, started }: FinalAnswer): Promise<RelayOutcome> {
    const { reply, model } = exchange;
    const headers = clientHeaders(reply, response.headers, { [TID_RESPONSE_HEADER]: exchange.request.tid });
    const length = response.headers['content-length'];
    if (typeof length === 'string') headers['content-length'] = length;
    reply.hijack();
    reply.raw.writeHead(response.status, headers);
    const firstByteMs = elapsed(started);
    try {
      await pipeline(response.body, reply.raw);
    } catch (error) {
      if (exchange.client.gone) {
        this.outcomes.report({ channel, model, status: response.status, latencyMs: firstByteMs });
        return clientLeft(channel.channelId);
      }
      const timedOut = isTimeout(error);
      this.outcomes.report({ channel, model, status: 0, latencyMs: elapsed(started), timedOut });
      this.logger.warn(
        { channelId: channel.channelId, err: describeFailure(error) },
        'upstream body broke off mid-transfer',
      );
      return { status: response.status, usage: null, channelId: channel.channelId };
    }
    this.outcomes.report({ channel, model, status: response.status, latencyMs: firstByteMs });
    return {
      status: response.status,
      usage: exchange.spec.usageFromResponse(null, exchange.body, exchange.estimate),
      channelId: channel.channelId,
    };
  }
}
