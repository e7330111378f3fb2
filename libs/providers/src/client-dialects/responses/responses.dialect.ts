import type { ClientDialect } from '../../client-dialect.js';
import { responseOf } from './responses-answer.js';
import { chatBodyOf, nativeOnlyField, withoutNativeOnlyFields } from './responses-request.js';
import { ResponsesStreamEncoder } from './responses-stream-encoder.js';
import { ResponsesStreamTap } from './responses-stream-tap.js';
import { chatUsageOf } from './responses-usage.js';

/**
 * OpenAI's Responses API (`POST /v1/responses`) as a client dialect, for
 * Codex, the Agents SDK and the Vercel AI SDK. openai and azure channels get
 * the client's own bytes; any other is sent the request as chat
 * completions, and its answer and stream come back as a Response and the
 * Responses event stream. Errors keep OpenAI's shape.
 */
export const responsesDialect: ClientDialect = {
  name: 'responses',
  nativeEndpoint: 'responses',
  toChat: chatBodyOf,
  nativeOnlyField,
  withoutNativeOnlyFields,
  fromChatAnswer: responseOf,
  chatStreamEncoder: (request) => new ResponsesStreamEncoder(request),
  nativeUsage: (json) => chatUsageOf(json.usage),
  nativeStreamTap: () => new ResponsesStreamTap(),
  errorBody: (_status, error) => ({
    error: { message: error.message, type: error.type, param: error.param, code: error.code, tid: error.tid },
  }),
};
