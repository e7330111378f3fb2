import { Injectable } from '@nestjs/common';
import type { JsonObject } from '../openai/body-fields.js';
import { reportedInputTokens } from '../openai/token-usage.js';
import { passedHeaders } from './client-headers.js';
import { OutcomeReporter } from './outcome-reporter.js';
import { elapsed, type FinalAnswer, type RelayOutcome } from './relay-exchange.js';
import { errorCode, passThroughError } from './upstream-body.js';

export interface JsonAnswerBody extends FinalAnswer {
  /** The upstream's body, read whole. */
  raw: Buffer;
  /** The body as a JSON object; null when it is not one. */
  parsed: JsonObject | null;
}

/**
 * A final answer read whole: a success (the model name restored) or an
 * upstream error that is not retried, passed through with its status and
 * the tid added.
 */
@Injectable()
export class JsonAnswer {
  constructor(private readonly outcomes: OutcomeReporter) {}

  deliver({ exchange, channel, response, started, raw, parsed }: JsonAnswerBody): RelayOutcome {
    const { reply, model } = exchange;
    const success = response.status >= 200 && response.status < 300;
    this.outcomes.report({
      channel,
      model,
      status: response.status,
      latencyMs: elapsed(started),
      errorCode: success ? null : errorCode(parsed),
    });
    void reply.headers(passedHeaders(response.headers)).code(response.status);
    if (response.status >= 300) {
      void reply
        .header('content-type', 'application/json')
        .send(JSON.stringify(passThroughError(parsed, raw, exchange.request.tid)));
      return { status: response.status, usage: null, channelId: channel.channelId };
    }
    // Responses name the model the client asked for, not the channel's upstream name.
    if (parsed && channel.upstreamModel !== model && 'model' in parsed) {
      parsed.model = model;
      void reply.send(JSON.stringify(parsed));
    } else {
      void reply.send(raw);
    }
    return {
      status: response.status,
      usage: exchange.spec.usageFromResponse(parsed, exchange.body, exchange.estimate),
      channelId: channel.channelId,
      reportedInputTokens: reportedInputTokens(parsed) ?? undefined,
    };
  }
}
