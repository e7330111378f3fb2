import { Inject, Injectable } from '@nestjs/common';
import type { PickedChannel } from '@tollgate/contracts';
import type { Logger } from '@tollgate/observability';
import { describeFailure, isTimeout, parseJsonObject, providerFor, type JsonObject } from '@tollgate/providers';
import type { EdgeConfig } from '../edge.config.js';
import { EDGE_CONFIG, LOGGER } from '../tokens.js';
import { UpstreamClient } from '../upstream/upstream.client.js';
import { BinaryAnswer } from './binary-answer.js';
import { canonicalRequest } from './canonical-request.js';
import { EventStreamAnswer } from './event-stream-answer.js';
import { JsonAnswer, type JsonAnswerBody } from './json-answer.js';
import { OutcomeReporter } from './outcome-reporter.js';
import { clientLeft, elapsed, type Exchange, type FinalAnswer, type RelayOutcome } from './relay-exchange.js';
import { readErrorBytes } from './upstream-body.js';
import { parseRetryAfter, type AttemptFailure } from './upstream-failure.js';

/** Done: the client has its answer (or left). Failed: nothing was sent, another channel may be tried. */
export type AttemptResult = { done: RelayOutcome } | { failed: AttemptFailure };

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.toLowerCase() ?? '';
}

/**
 * The answer with its body read, written out field by field: Node 20's V8
 * takes about a microsecond to spread an object into a literal that goes on
 * with more properties, paid here on every JSON answer.
 */
function withBody(answer: FinalAnswer, raw: Buffer, parsed: JsonObject | null): JsonAnswerBody {
  const { exchange, channel, response, started, adapter, canonical } = answer;
  return { exchange, channel, response, started, adapter, canonical, raw, parsed };
}

/**
 * One upstream call, and the decision it leads to: a failure the next
 * channel may make good (reported to the router, nothing sent), or a final
 * answer handed to the client. Nothing reaches the client unless the answer
 * is final; once a stream or a binary body has started, it is. What differs
 * between upstream dialects — the URL, the auth header, the body, how a
 * refusal counts, the answer's shape — is the channel type's adapter's.
 */
@Injectable()
export class UpstreamAttempt {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly outcomes: OutcomeReporter,
    private readonly json: JsonAnswer,
    private readonly binary: BinaryAnswer,
    private readonly events: EventStreamAnswer,
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(exchange: Exchange, channel: PickedChannel): Promise<AttemptResult> {
    const { model, client } = exchange;
    const adapter = providerFor(channel.type);
    await exchange.outbound.prepare?.(channel.upstreamModel);
    const canonical = canonicalRequest(exchange, channel, this.config.DEFAULT_MAX_OUTPUT_TOKENS);
    // Throws the 400 naming a parameter this upstream has no counterpart for, before anything is sent.
    const call = adapter.request(canonical);
    const started = performance.now();
    const result = await this.upstream.send(call, channel, client.signal);
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

    const answer: FinalAnswer = { exchange, channel, response: result, started, adapter, canonical };
    if (result.status >= 300) {
      const raw = await readErrorBytes(result.body);
      const parsed = raw ? parseJsonObject(raw) : null;
      const refusal = adapter.classify(result.status, parsed);
      if (!refusal.retryable) {
        return { done: this.json.deliver(withBody(answer, raw ?? Buffer.alloc(0), parsed)) };
      }
      const retryAfterSeconds = refusal.retryAfterSeconds ?? parseRetryAfter(result.headers['retry-after']);
      this.outcomes.report({
        channel,
        model,
        status: result.status,
        latencyMs: elapsed(started),
        retryAfterSeconds,
        errorCode: refusal.errorCode,
      });
      this.logger.warn({ channelId: channel.channelId, status: result.status }, 'upstream refused');
      return { failed: { kind: 'status', status: result.status, retryAfterSeconds } };
    }

    const contentType = headerText(result.headers['content-type']);
    if (exchange.stream && contentType.includes('text/event-stream')) {
      return { done: await this.events.deliver(answer) };
    }
    if (!contentType.includes('json')) {
      return { done: await this.binary.deliver(answer) };
    }

    // JSON is read whole before anything is sent, so a body that breaks off can still go to another channel.
    let raw: Buffer;
    try {
      raw = Buffer.from(await result.body.arrayBuffer());
    } catch (error) {
      if (client.gone) return { done: clientLeft(channel.channelId) };
      const timedOut = isTimeout(error);
      this.outcomes.report({ channel, model, status: 0, latencyMs: elapsed(started), timedOut });
      this.logger.warn({ channelId: channel.channelId, err: describeFailure(error) }, 'upstream body broke off');
      return { failed: { kind: 'network', timedOut } };
    }
    return { done: this.json.deliver(withBody(answer, raw, parseJsonObject(raw))) };
  }
}
