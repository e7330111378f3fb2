import { Injectable } from '@nestjs/common';
import { dialectErrorOf, isJsonObject, type JsonObject } from '@tollgate/providers';
import { storedResponseId } from '../dialects/stored-response-id.js';
import { reportedInputTokens } from '../openai/token-usage.js';
import { isNative } from './canonical-request.js';
import { passedHeaders } from './client-headers.js';
import { OutcomeReporter } from './outcome-reporter.js';
import { elapsed, type Exchange, type FinalAnswer, type RelayOutcome } from './relay-exchange.js';

export interface JsonAnswerBody extends FinalAnswer {
  /** The upstream's body, read whole (an error body: at most its first 64 KiB, else empty). */
  raw: Buffer;
  /** The body as a JSON object; null when it is not one. */
  parsed: JsonObject | null;
}

/** What goes to the client, and the answer in OpenAI form that the usage is read from. */
interface Delivered {
  /** The bytes, or null to send the upstream's own. */
  body: string | null;
  /** The answer in OpenAI chat form (or `{ usage }` in it), for billing. */
  accounted: JsonObject | null;
}

/**
 * A final answer read whole: a success, in the client's form (the
 * adapter's translation when the upstream speaks another dialect, then the
 * client dialect's when the client speaks one) and naming the model the
 * client asked for; or an upstream error that is not retried, passed on
 * with its status in the client dialect's error shape (OpenAI's by
 * default), the tid added.
 */
@Injectable()
export class JsonAnswer {
  constructor(private readonly outcomes: OutcomeReporter) {}

  deliver(answer: JsonAnswerBody): RelayOutcome {
    const { exchange, channel, response, started, raw, parsed, adapter } = answer;
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
      void reply.header('content-type', 'application/json').send(JSON.stringify(this.errorBody(answer)));
      return { status: response.status, usage: null, channelId: channel.channelId };
    }
    const delivered = exchange.dialect ? this.dialectAnswer(answer) : this.openAiAnswer(answer);
    if (delivered.body === null) void reply.send(raw);
    else void reply.header('content-type', 'application/json').send(delivered.body);
    const accounted = delivered.accounted;
    const usageBody = exchange.dialect ? exchange.dialect.chat : exchange.body;
    return {
      status: response.status,
      usage: exchange.spec.usageFromResponse(accounted, usageBody, exchange.estimate),
      channelId: channel.channelId,
      reportedInputTokens: reportedInputTokens(accounted) ?? undefined,
      storedResponseId: isNative(exchange, answer.canonical) ? storedResponseId(exchange, parsed) : undefined,
    };
  }

  /** OpenAI's endpoints: the adapter's translation, or the upstream's bytes (the model renamed when mapped). */
  private openAiAnswer({ exchange, channel, parsed, adapter, canonical }: JsonAnswerBody): Delivered {
    const translated = parsed && adapter.answer(canonical, parsed);
    if (translated) {
      translated.model = exchange.model;
      return { body: JSON.stringify(translated), accounted: translated };
    }
    if (parsed && channel.upstreamModel !== exchange.model && 'model' in parsed) {
      // Responses name the model the client asked for, not the channel's upstream name.
      parsed.model = exchange.model;
      return { body: JSON.stringify(parsed), accounted: parsed };
    }
    return { body: null, accounted: parsed };
  }

  /**
   * A client dialect's answer: a native one passes as it came (the model
   * renamed when mapped), its usage read the dialect's way; a translated one
   * is the channel's answer in chat form, then in the client's dialect.
   */
  private dialectAnswer({ exchange, channel, parsed, adapter, canonical }: JsonAnswerBody): Delivered {
    const dialect = (exchange.dialect as NonNullable<Exchange['dialect']>).dialect;
    if (!parsed) return { body: null, accounted: null };
    if (isNative(exchange, canonical)) {
      const usage = dialect.nativeUsage(parsed);
      const accounted = usage ? { usage } : null;
      if (channel.upstreamModel !== exchange.model && 'model' in parsed) {
        parsed.model = exchange.model;
        return { body: JSON.stringify(parsed), accounted };
      }
      return { body: null, accounted };
    }
    const chat = adapter.answer(canonical, parsed) ?? parsed;
    const answer = dialect.fromChatAnswer(chat, exchange.body);
    answer.model = exchange.model;
    return { body: JSON.stringify(answer), accounted: chat };
  }

  /** An upstream refusal, in OpenAI's error shape (the adapter's reading), then the client dialect's, with the tid. */
  private errorBody({ exchange, response, raw, parsed, adapter }: JsonAnswerBody): JsonObject {
    const body = adapter.clientError(response.status, parsed, raw);
    const tid = exchange.request.tid;
    if (exchange.dialect) {
      const fallback = `The upstream provider answered ${response.status}.`;
      return exchange.dialect.dialect.errorBody(response.status, dialectErrorOf(body.error, tid, fallback));
    }
    return isJsonObject(body.error) ? { ...body, error: { ...body.error, tid } } : body;
  }
}
