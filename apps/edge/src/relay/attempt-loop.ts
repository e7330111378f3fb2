import { Inject, Injectable } from '@nestjs/common';
import type { PickedChannel } from '@tollgate/contracts';
import { DenialException } from '@tollgate/errors';
import type { Logger } from '@tollgate/observability';
import type { EdgeConfig } from '../edge.config.js';
import { EDGE_CONFIG, LOGGER } from '../tokens.js';
import { ChannelPicker } from './channel-picker.js';
import { clientLeft, type Exchange, type RelayOutcome } from './relay-exchange.js';
import { UpstreamAttempt } from './upstream-attempt.js';
import { denialAfterFailures, type AttemptFailure } from './upstream-failure.js';
import { edgeMetrics } from '../metrics/edge-metrics.js';

/**
 * Tries channels until one answers with something other than a retryable
 * failure: after a failure, another channel (one not tried yet) is asked for,
 * up to UPSTREAM_MAX_RETRIES times. When none is left, the client is told of
 * the last failure.
 */
@Injectable()
export class AttemptLoop {
  constructor(
    private readonly attempts: UpstreamAttempt,
    private readonly picker: ChannelPicker,
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async forward(exchange: Exchange, first: PickedChannel): Promise<RelayOutcome> {
    const tried: number[] = [];
    let channel: PickedChannel | null = first;
    let lastChannelId = first.channelId;
    let lastFailure: AttemptFailure | null = null;

    for (let attempt = 0; channel !== null; attempt++) {
      tried.push(channel.channelId);
      lastChannelId = channel.channelId;
      const result = await this.attempts.run(exchange, channel);
      if ('done' in result) return result.done;
      lastFailure = result.failed;
      if (exchange.client.gone) break;
      // A pinned channel is the only one the client may use: its failure is final.
      const canRetry: boolean = !channel.pinned && attempt < this.config.UPSTREAM_MAX_RETRIES;
      if (canRetry) edgeMetrics.retried(exchange.model);
      channel = canRetry
        ? await this.picker.another({
            model: exchange.model,
            endpoint: exchange.endpoint,
            storedOn: exchange.storedOn,
            principal: exchange.principal,
            exclude: tried,
          })
        : null;
    }
    if (exchange.client.gone) return clientLeft(lastChannelId);
    this.logger.warn({ tried, failure: lastFailure }, 'no upstream attempt succeeded');
    throw DenialException.of(denialAfterFailures(lastFailure));
  }
}
