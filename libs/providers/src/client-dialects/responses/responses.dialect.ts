import type { ClientDialect } from '../../client-dialect.js';
import { responseOf } from './responses-answer.js';
import { responsesErrorBody } from './responses-errors.js';
import { nativeOnlyField, withoutNativeOnlyFields } from './responses-native-only.js';
import { chatBodyOf } from './responses-request.js';
import { ResponsesStreamEncoder } from './responses-stream-encoder.js';
import { ResponsesStreamTap } from './responses-stream-tap.js';
import { chatUsageOf } from './responses-usage.js';

/**
 * OpenAI's Responses API (`POST /v1/responses`) as a client dialect, for
 * the OpenAI SDKs' `client.responses` and Codex. An OpenAI or Azure channel
 * gets the client's own bytes; any other is sent the request as chat
 * completions, and its answer and stream come back as a Response and the
 * Responses events. A request using OpenAI's stored state or built-in
 * tools can only go natively (nativeOnlyField).
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
  errorBody: responsesErrorBody,
};
