import type { ChannelType, UpstreamEndpoint } from '@tollgate/contracts';
import type { JsonObject } from './json.js';
import type { SseEvent } from './sse-event-splitter.js';

/** The channel fields an adapter needs to address its upstream. */
export interface ChannelTarget {
  /** As the admin entered it, without a trailing slash. */
  baseUrl: string;
  apiKey: string;
  /** Azure OpenAI's `api-version`; null for the types without one. */
  apiVersion: string | null;
}

/** One HTTP request to send upstream, described, not sent. */
export interface UpstreamCall {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** One client request, in the canonical (OpenAI) form the edge validated, for one channel. */
export interface CanonicalRequest {
  endpoint: UpstreamEndpoint;
  target: ChannelTarget;
  /** The channel's name for the model (its mapping applied): an Azure deployment, a Gemini model id… */
  upstreamModel: string;
  stream: boolean;
  /** The request body in OpenAI form; read only. */
  body: JsonObject;
  /**
   * The bytes an upstream of the request's own dialect is sent: the OpenAI
   * form with the upstream model and the usage option the edge needs (or,
   * for a native `responses` / `messages` request, the client's body with
   * the upstream model). A function, so translating adapters never pay for it.
   */
  openAiBytes: () => Buffer | string;
  /** The output cap the edge held for when the client set none (Anthropic requires one). */
  defaultMaxTokens: number;
  /**
   * The content type of `openAiBytes()`: `application/json`, or the
   * client's `multipart/form-data; boundary=…` for the upload endpoints.
   */
  contentType: string;
  /**
   * Headers of the client's own dialect that a native upstream is sent as
   * they came (`anthropic-version`, `anthropic-beta` on `messages`); empty
   * for a translated request.
   */
  nativeHeaders: Readonly<Record<string, string>>;
}

/**
 * A stream from the upstream turned into OpenAI `chat.completion.chunk`
 * objects, event by event. A translator ends the stream the OpenAI way:
 * the final chunk with the finish reason, a usage chunk (`choices: []`),
 * then `[DONE]` — the edge drops the usage chunk again if the client did
 * not ask for it.
 */
export interface StreamTranslator {
  /** The OpenAI chunks (or in-band `{ error }` objects) for one upstream event; `'[DONE]'` ends the stream. */
  event(event: SseEvent): Array<JsonObject | '[DONE]'>;
  /** The upstream stream ended: whatever the translator still owes (the end chunks if no end event came). */
  end(): Array<JsonObject | '[DONE]'>;
}

/** How a refused attempt counts: retried elsewhere (and reported to the router's health rules) or passed on. */
export interface RefusalClass {
  retryable: boolean;
  /** The upstream's error code or type, for the router's dead-key and cooldown rules. */
  errorCode: string | null;
  /**
   * How long the upstream asked to be left alone, when it says so in the
   * body (Gemini's RetryInfo); absent = the `Retry-After` header, if any.
   */
  retryAfterSeconds?: number | null;
}

/**
 * The seam for provider types: everything that differs between upstream
 * dialects, for the edge's relay and the router's own calls alike. Add a type
 * to CHANNEL_TYPES, implement this, register it in PROVIDERS (which does not
 * compile until every type has an adapter), and widen the
 * `channels_type_check` constraint in a migration.
 */
export interface ProviderAdapter {
  readonly type: ChannelType;
  /** The endpoints this type serves: a request for another one is never routed to it. */
  readonly endpoints: ReadonlySet<UpstreamEndpoint>;
  /**
   * The upstream call for one client request. Throws a DenialException
   * (invalid_request, naming the parameter) for a request parameter the
   * upstream has no counterpart for — before anything is sent.
   */
  request(request: CanonicalRequest): UpstreamCall;
  /** A success's JSON body in OpenAI form; null = the body is OpenAI's already, pass its bytes on. */
  answer(request: CanonicalRequest, json: JsonObject): JsonObject | null;
  /** A translator for the upstream's event stream; null = it is OpenAI's already. */
  streamTranslator(request: CanonicalRequest): StreamTranslator | null;
  /** Whether a refusal is the channel's problem (retry elsewhere) or the request's (pass it on). */
  classify(status: number, json: JsonObject | null): RefusalClass;
  /** An error body passed on to the client, in OpenAI's shape (`{ error: { message, type, param, code } }`). */
  clientError(status: number, json: JsonObject | null, raw: Buffer): JsonObject;
  /** A cheap authenticated request whose 2xx proves the key works (auto-enable). */
  keyCheck(target: ChannelTarget): UpstreamCall;
  /** The smallest real completion (admin "test channel"). */
  testCompletion(target: ChannelTarget, upstreamModel: string): UpstreamCall;
  /**
   * A call on a response the upstream stored (OpenAI's Responses API:
   * `GET` reads it, `DELETE` deletes it); absent for types that store none.
   */
  storedResponse?(target: ChannelTarget, responseId: string, method: 'GET' | 'DELETE'): UpstreamCall;
  /** The model ids in the upstream's model list answer (the answer to keyCheck). */
  modelIds(json: JsonObject): string[];
  /** Error codes in the upstream body that mean the key is dead or out of credit. */
  readonly deadKeyErrorCodes: ReadonlySet<string>;
}
