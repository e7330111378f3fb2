import { Injectable } from '@nestjs/common';
import { isJsonObject, type JsonObject } from '@tollgate/providers';
import { reportedInputTokens } from '../openai/token-usage.js';
import { passedHeaders } from './client-headers.js';
import { OutcomeReporter } from './outcome-reporter.js';
import { elapsed, type FinalAnswer, type RelayOutcome } from './relay-exchange.js';

export interface JsonAnswerBody extends FinalAnswer {
  /** The upstream's body, read whole (an error body: at most its first 64 KiB, else empty). */
  raw: Buffer;
  /** The body as a JSON object; null when it is not one. */
  parsed: JsonObject | null;
}

/**
 * A final answer read whole: a success, in OpenAI form (the adapter's
 * translation when the upstream speaks another dialect) and naming the
 * model the client asked for; or an upstream error that is not retried,
 * passed on with its status in OpenAI's error shape, the tid added.
 */
@Injectable()
export class JsonAnswer {
  constructor(private readonly outcomes: OutcomeReporter) {}

  deliver({ exchange, channel, response, started, raw, parsed, adapter, canonical }: JsonAnswerBody): RelayOutcome {
    const { reply, model } = exchange;
    const success = response.status >= 200 && response.status < 300;
    this.outcomes.report({
      channel,
      model,
      status: response.status,
      latencyMs: elapsed(started),
      errorCode: success ? null : adapter.classify(response.status, parsed).errorCode,
    });
    void reply.headers(passedHeaders(response.headers)).code(response.status);
    if (!success) {
      const body = adapter.clientError(response.status, parsed, raw);
      const error = isJsonObject(body.error) ? { ...body.error, tid: exchange.request.tid } : body.error;
      void reply.header('content-type', 'application/json').send(JSON.stringify({ ...body, error }));
      return { status: response.status, usage: null, channelId: channel.channelId };
    }
    const translated = parsed && adapter.answer(canonical, parsed);
    const answer = translated ?? parsed;
    if (translated) {
      translated.model = model;
      void reply.header('content-type', 'application/json').send(JSON.stringify(translated));
    } else if (parsed && channel.upstreamModel !== model && 'model' in parsed) {
      // Responses name the model the client asked for, not the channel's upstream name.
      parsed.model = model;
      void reply.send(JSON.stringify(parsed));
    } else {
      void reply.send(raw);
    }
    return {
      status: response.status,
      usage: exchange.spec.usageFromResponse(answer, exchange.body, exchange.estimate),
      channelId: channel.channelId,
      reportedInputTokens: reportedInputTokens(answer) ?? undefined,
    };
  }
}
