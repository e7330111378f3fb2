import { AnthropicStreamTranslator } from '../../adapters/anthropic/anthropic-stream.js';
import { openAiUsage } from '../../adapters/anthropic/anthropic-usage.js';
import type { ClientDialect } from '../../client-dialect.js';
import { isJsonObject } from '../../json.js';
import { messageOf } from './messages-answer.js';
import { anthropicErrorBody } from './messages-errors.js';
import { nativeOnlyField, withoutNativeOnlyFields } from './messages-native-only.js';
import { chatBodyOf } from './messages-request.js';
import { MessagesStreamEncoder } from './messages-stream-encoder.js';

/**
 * Anthropic's Messages API (`POST /v1/messages`) as a client dialect, for
 * Claude Code and the Anthropic SDKs. An anthropic channel gets the
 * client's own bytes; any other is sent the request as chat completions,
 * and its answer, stream and errors come back in Anthropic's shapes. The
 * native side reuses the anthropic adapter's readings: its usage
 * translation (input plus cache reads and writes is chat's prompt count)
 * and its stream translator, as the tap that accounts a native stream.
 */
export const messagesDialect: ClientDialect = {
  name: 'messages',
  nativeEndpoint: 'messages',
  toChat: chatBodyOf,
  nativeOnlyField,
  withoutNativeOnlyFields,
  fromChatAnswer: messageOf,
  chatStreamEncoder: (request) => new MessagesStreamEncoder(request),
  nativeUsage: (json) => (isJsonObject(json.usage) ? openAiUsage(json.usage) : null),
  nativeStreamTap: () => new AnthropicStreamTranslator(),
  errorBody: anthropicErrorBody,
};
