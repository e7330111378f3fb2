import type { UpstreamEndpoint } from '@tollgate/contracts';
import { isJsonObject, type JsonObject } from './json.js';
import type { StreamTranslator } from './provider-adapter.js';

/** The client-facing API families the edge speaks besides OpenAI's chat-era endpoints. */
export type ClientDialectName = 'responses' | 'messages';

/** An error as the gateway hands it to a dialect to render: OpenAI's fields, the tid added. */
export interface DialectError {
  message: string;
  /** OpenAI's error type (`invalid_request_error`, `api_error`…). */
  type: string;
  code: string | null;
  param: string | null;
  tid: string;
}

/**
 * Turns the OpenAI `chat.completion.chunk`s of a translated stream into the
 * client dialect's server-sent events, one chunk at a time. The chunks come
 * as the edge accounted them: every content, tool-call and finish chunk, and
 * the usage chunk (`choices: []`, `usage`) at the end — the edge always asks
 * the upstream for it when it translates.
 */
export interface ChatStreamEncoder {
  /** The SSE bytes (`event: …\ndata: …\n\n`) for one chat chunk; '' when it produces no event yet. */
  chunk(chunk: JsonObject): string;
  /** The upstream stream completed: the closing events (the answer's end, its usage). */
  end(): string;
  /** The stream failed mid-way (the upstream's in-band error, or it broke off): the dialect's error event(s), then the end. */
  fail(error: DialectError): string;
}

/**
 * A client dialect: an API the edge serves to clients (OpenAI's Responses
 * API, Anthropic's Messages API) on every channel type. A channel whose
 * type serves `nativeEndpoint` gets the client's own bytes and its answer
 * passes back as it came; any other channel gets the request translated to
 * chat completions (then to its own dialect by its ProviderAdapter), and
 * the chat answer is translated back here. Everything here is pure: no I/O.
 */
export interface ClientDialect {
  readonly name: ClientDialectName;
  /** The upstream endpoint that speaks this dialect natively. */
  readonly nativeEndpoint: UpstreamEndpoint;
  /**
   * The request as a chat-completions body (OpenAI form; `stream` kept). The
   * edge counts the hold from it, and sends it to channels that do not speak
   * the dialect. Throws a DenialException (invalid_request, naming the field
   * as the client spelled it) for a field chat completions has no
   * counterpart for.
   */
  toChat(body: JsonObject): JsonObject;
  /**
   * The first field (as the client spelled it) that only a channel speaking
   * the dialect natively can serve — Responses' `previous_response_id`, a
   * built-in tool — or null when any channel may serve the request.
   */
  nativeOnlyField(body: JsonObject): string | null;
  /**
   * The body without its native-only fields: what the edge counts the hold
   * from (`toChat` of it) when the request must go to a native channel.
   */
  withoutNativeOnlyFields(body: JsonObject): JsonObject;
  /** A chat completion (OpenAI form) as this dialect's answer to `request`. */
  fromChatAnswer(chat: JsonObject, request: JsonObject): JsonObject;
  /** An encoder for one translated stream's chat chunks. */
  chatStreamEncoder(request: JsonObject): ChatStreamEncoder;
  /**
   * The usage of a native answer in OpenAI chat form (`prompt_tokens`,
   * `completion_tokens`, `prompt_tokens_details.cached_tokens` /
   * `cache_write_tokens`, `completion_tokens_details.reasoning_tokens`),
   * which the edge bills from; null when the answer carries none.
   */
  nativeUsage(json: JsonObject): JsonObject | null;
  /**
   * A native stream's events as chat chunks, for accounting only (usage,
   * the text produced, in-band errors): the client gets the upstream's own
   * bytes, this output is never sent.
   */
  nativeStreamTap(): StreamTranslator;
  /** An error body in this dialect's envelope (status decides the dialect's error type), the tid in it. */
  errorBody(status: number, error: DialectError): JsonObject;
}

/**
 * An OpenAI-shaped error object (an adapter's `clientError(...).error`, an
 * in-band stream error) as the fields a dialect renders, the tid added;
 * `fallback` stands in for a message the upstream did not give.
 */
export function dialectErrorOf(error: unknown, tid: string, fallback: string): DialectError {
  const fields = isJsonObject(error) ? error : {};
  return {
    message: typeof fields.message === 'string' ? fields.message : fallback,
    type: typeof fields.type === 'string' ? fields.type : 'server_error',
    code: typeof fields.code === 'string' ? fields.code : null,
    param: typeof fields.param === 'string' ? fields.param : null,
    tid,
  };
}
