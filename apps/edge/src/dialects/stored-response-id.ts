import { isJsonObject, type JsonObject } from '@tollgate/providers';
import type { Exchange } from '../relay/relay-exchange.js';

/**
 * The id of a Responses answer its upstream keeps, or undefined: only the
 * Responses dialect stores, and only when the client did not ask it not to
 * (`store` defaults to true).
 */
export function storedResponseId(exchange: Exchange, response: JsonObject | null): string | undefined {
  if (exchange.dialect?.dialect.name !== 'responses' || exchange.body.store === false) return undefined;
  return response && typeof response.id === 'string' ? response.id : undefined;
}

/** The response id of a native Responses stream's `response.created` event, or undefined for any other event. */
export function createdResponseId(data: string | null): string | undefined {
  if (data === null || !data.includes('"response.created"')) return undefined;
  try {
    const event: unknown = JSON.parse(data);
    if (!isJsonObject(event) || event.type !== 'response.created' || !isJsonObject(event.response)) return undefined;
    return typeof event.response.id === 'string' ? event.response.id : undefined;
  } catch {
    return undefined;
  }
}
