import type { DialectError } from '../../client-dialect.js';
import type { JsonObject } from '../../json.js';

/** OpenAI's error envelope, which the Responses API shares with every other endpoint: the tid added. */
export function responsesErrorBody(_status: number, error: DialectError): JsonObject {
  const { message, type, param, code, tid } = error;
  return { error: { message, type, param, code, tid } };
}
