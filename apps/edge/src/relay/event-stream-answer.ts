import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@tollgate/observability';
import { TID_RESPONSE_HEADER } from '../http/request-context.js';
import { reportedInputTokens, tokenUsage } from '../openai/token-usage.js';
import { LOGGER } from '../tokens.js';
import { clientHeaders } from './client-headers.js';
import { OutcomeReporter } from './outcome-reporter.js';
import type { StreamTranslator } from '@tollgate/providers';
import { createdResponseId } from '../dialects/stored-response-id.js';
import { isNative } from './canonical-request.js';
import { CLIENT_CLOSED_REQUEST, elapsed, type FinalAnswer, type RelayOutcome } from './relay-exchange.js';
import { StreamFilter } from './stream-filter.js';
import { ShutdownDeadline } from './shutdown-deadline.js';
import { relayStream } from './stream-relay.js';
import { edgeMetrics } from '../metrics/edge-metrics.js';

/**
 * A stream: relayed event by event from the moment the upstream answers
 * 200 — from then on nothing is retried. Whatever happens, the client is
 * charged for what was produced (upstream usage, else tokens counted from
 * the streamed text): a stream the client left, or the upstream broke off,
 * is a partial delivery. Only a stream that produced nothing is free.
 */
@Injectable()
export class EventStreamAnswer {
  constructor(
    private readonly outcomes: OutcomeReporter,
    private readonly shutdown: ShutdownDeadline,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async deliver({ exchange, channel, response, started, adapter, canonical }: FinalAnswer): Promise<RelayOutcome> {
    const { reply, model, request } = exchange;
    const native = isNative(exchange, canonical);
    const dialect = exchange.dialect?.dialect ?? null;
    const translator = native ? null : adapter.streamTranslator(canonical);
    const stored = native && dialect?.name === 'responses' && exchange.body.store !== false;
    const tap = native && dialect ? watchResponseId(dialect.nativeStreamTap(), stored) : null;
    const filter = new StreamFilter({
      // Translators always end with a usage chunk; the client sees it only if it asked (as with OpenAI).
      stripUsageChunk: exchange.outbound.usageAddedByEdge,
      // A translated chunk names the upstream's model, whatever the mapping: it always shows the client's.
      clientModel: translator || dialect || channel.upstreamModel !== model ? model : null,
      translator,
      encoder: dialect && !native ? dialect.chatStreamEncoder(exchange.body) : null,
      tap: tap ?? exchange.spec.streamTap?.() ?? null,
      tid: request.tid,
    });
    const firstByteMs = elapsed(started);
    reply.hijack();
    const streamed = await relayStream({
      upstream: response.body,
      raw: reply.raw,
      headers: clientHeaders(reply, response.headers, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        // Proxies such as nginx would otherwise buffer the stream.
        'x-accel-buffering': 'no',
        [TID_RESPONSE_HEADER]: request.tid,
      }),
      filter,
      client: exchange.client,
      tid: request.tid,
      onFirstChunk: () => edgeMetrics.firstToken(channel.channelId, elapsed(started)),
      deadline: this.shutdown.signal,
    });

    // One outcome per attempt, when its end is known: a stream that broke off counts against the channel.
    if (streamed.end === 'upstream_failed') {
      this.outcomes.report({ channel, model, status: 0, latencyMs: elapsed(started), timedOut: streamed.timedOut });
      this.logger.warn({ channelId: channel.channelId, reason: streamed.failure }, 'upstream stream broke off');
    } else {
      this.outcomes.report({ channel, model, status: response.status, latencyMs: firstByteMs });
      if (streamed.end === 'client_gone') {
        this.logger.info({ channelId: channel.channelId }, 'client left mid-stream; upstream call aborted');
      } else if (streamed.end === 'cut_short') {
        this.logger.warn({ channelId: channel.channelId }, 'stream cut short at the shutdown deadline');
      }
    }

    const usage = tokenUsage(filter.usageHolder, exchange.estimate, () => filter.producedText());
    // A stream that ended on an in-band error before producing anything (an overload announced after the
    // 200, as Anthropic does) delivered nothing: like one that broke off, it is free.
    const completed = streamed.end === 'completed' && !filter.sawError;
    const delivered = completed || filter.usageHolder !== null || usage.outputTokens > 0;
    return {
      status: streamed.end === 'client_gone' ? CLIENT_CLOSED_REQUEST : response.status,
      usage: delivered ? usage : null,
      channelId: channel.channelId,
      reportedInputTokens: reportedInputTokens(filter.usageHolder) ?? undefined,
      storedResponseId: tap?.responseId,
    };
  }
}

/** A native stream's tap that also notes the id a Responses upstream stored the answer under. */
function watchResponseId(tap: StreamTranslator, stored: boolean): StreamTranslator & { responseId?: string } {
  const watcher: StreamTranslator & { responseId?: string } = {
    event(event) {
      if (stored && watcher.responseId === undefined) watcher.responseId = createdResponseId(event.data);
      return tap.event(event);
    },
    end: () => tap.end(),
  };
  return watcher;
}
