import { Inject, Injectable } from '@nestjs/common';
import type { PickedChannel } from '@tollgate/contracts';
import type { Logger } from '@tollgate/observability';
import { LOGGER } from '../tokens.js';
import { isTimeout, UpstreamClient } from '../upstream/upstream.client.js';
import { BinaryAnswer } from './binary-answer.js';
import { describeError } from './describe-error.js';
import { EventStreamAnswer } from './event-stream-answer.js';
import { JsonAnswer } from './json-answer.js';
import { OutcomeReporter } from './outcome-reporter.js';
import { clientLeft, elapsed, type Exchange, type RelayOutcome } from './relay-exchange.js';
import { errorCode, parseJsonObject, readErrorBody } from './upstream-body.js';
import { isRetryableStatus, parseRetryAfter, type AttemptFailure } from './upstream-failure.js';

/** Done: the client has its answer (or left). Failed: nothing was sent, another channel may be tried. */
export type AttemptResult = { done: RelayOutcome } | { failed: AttemptFailure };

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.toLowerCase() ?? '';
}

/**
 * One upstream call, and the decision it leads to: a failure the next
 * channel may make good (reported to the router, nothing sent), or a final
 * answer handed to the client. Nothing reaches the client unless the answer
 * is final; once a stream or a binary body has started, it is.
 */
@Injectable()
export class UpstreamAttempt {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly outcomes: OutcomeReporter,
    private readonly json: JsonAnswer,
    private readonly binary: BinaryAnswer,
    private readonly events: EventStreamAnswer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(exchange: Exchange, channel: PickedChannel): Promise<AttemptResult> {
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
      return { done: clientLeft(channel.channelId) };
    }
    if (result.kind === 'failure') {
      this.outcomes.report({ channel, model, status: 0, latencyMs: elapsed(started), timedOut: result.timedOut });
      this.logger.warn({ channelId: channel.channelId, reason: result.reason }, 'upstream call failed');
      return { failed: { kind: 'network', timedOut: result.timedOut } };
    }
    if (isRetryableStatus(result.status)) {
      const errorBody = await readErrorBody(result.body);
      const retryAfterSeconds = parseRetryAfter(result.headers['retry-after']);
      this.outcomes.report({
        channel,
        model,
        status: result.status,
        latencyMs: elapsed(started),
        retryAfterSeconds,
        errorCode: errorCode(errorBody),
      });
      this.logger.warn({ channelId: channel.channelId, status: result.status }, 'upstream refused');
      return { failed: { kind: 'status', status: result.status, retryAfterSeconds } };
    }

    const success = result.status >= 200 && result.status < 300;
    const contentType = headerText(result.headers['content-type']);
    if (success && exchange.stream && contentType.includes('text/event-stream')) {
      return { done: await this.events.deliver({ exchange, channel, response: result, started }) };
    }
    if (success && !contentType.includes('json')) {
      return { done: await this.binary.deliver({ exchange, channel, response: result, started }) };
    }

    // JSON is read whole before anything is sent, so a body that breaks off can still go to another channel.
    let raw: Buffer;
    try {
      raw = Buffer.from(await result.body.arrayBuffer());
    } catch (error) {
      if (client.gone) return { done: clientLeft(channel.channelId) };
      const timedOut = isTimeout(error);
      this.outcomes.report({ channel, model, status: 0, latencyMs: elapsed(started), timedOut });
      this.logger.warn({ channelId: channel.channelId, err: describeError(error) }, 'upstream body broke off');
      return { failed: { kind: 'network', timedOut } };
    }
    const parsed = contentType.includes('json') ? parseJsonObject(raw) : null;
    return { done: this.json.deliver({ exchange, channel, response: result, started, raw, parsed }) };
  }
}
