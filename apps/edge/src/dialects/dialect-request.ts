import type { UpstreamEndpoint } from '@tollgate/contracts';
import type { ClientDialect, JsonObject } from '@tollgate/providers';

/** A request in a client dialect (Responses, Messages), as the relay carries it. */
export interface DialectRequest {
  dialect: ClientDialect;
  /** The request in chat form: what the hold is counted from, and what a translating channel is sent. */
  chat: JsonObject;
  /** The first field only a native channel can serve (`previous_response_id`…), or null: any channel may. */
  nativeOnly: string | null;
}

/**
 * Reads a checked dialect body: its chat form, and whether it must go to a
 * channel that speaks the dialect. A request any channel may serve is
 * picked among chat channels (every type serves chat); the ones that speak
 * the dialect then get the client's own bytes.
 */
export function dialectRequest(dialect: ClientDialect, body: JsonObject): DialectRequest {
  const nativeOnly = dialect.nativeOnlyField(body);
  // The hold is counted from the chat form; a native-only field has none, so it is left out of the count.
  const chat = dialect.toChat(nativeOnly === null ? body : dialect.withoutNativeOnlyFields(body));
  return { dialect, chat, nativeOnly };
}

/** The endpoint a dialect request is routed by. */
export function routedEndpoint(request: DialectRequest): UpstreamEndpoint {
  return request.nativeOnly === null ? 'chat.completions' : request.dialect.nativeEndpoint;
}
