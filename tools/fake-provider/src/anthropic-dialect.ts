/**
 * Anthropic's dialect: `POST /v1/messages` (+ `/count_tokens`) with `x-api-key` and a required
 * `anthropic-version` header. `/v1/models` is shared with OpenAI: a request carrying `anthropic-version` (or
 * `x-api-key` without an `Authorization` header) is Anthropic's, as no OpenAI client sends those.
 */
import { ANTHROPIC_ERRORS, AnthropicHttpError, anthropicInvalidRequest } from './anthropic-error.js';
import { handleAnthropicCountTokens } from './anthropic-count-tokens.handler.js';
import { handleAnthropicMessages } from './anthropic-messages.handler.js';
import { createAnthropicModelHandlers } from './anthropic-models.handler.js';
import type { Dialect, DialectRoute, IncomingCall } from './dialect.js';
import { headerCredential, headerValue } from './dialect.js';
import { MODELS_PREFIX } from './models.handler.js';

export const ANTHROPIC_MESSAGES_PATH = '/v1/messages';

/** Whether a request that could be OpenAI's (same path) speaks Anthropic's dialect. */
export function carriesAnthropicHeaders({ headers }: IncomingCall): boolean {
  return (
    headers['anthropic-version'] !== undefined ||
    (headers['x-api-key'] !== undefined && headers.authorization === undefined)
  );
}

export function createAnthropicDialect(models: readonly string[]): Dialect {
  const listing = createAnthropicModelHandlers(models);
  const routes = new Map<string, DialectRoute>([
    [`POST ${ANTHROPIC_MESSAGES_PATH}`, { handler: handleAnthropicMessages, inference: true }],
    [`POST ${ANTHROPIC_MESSAGES_PATH}/count_tokens`, { handler: handleAnthropicCountTokens, inference: false }],
    ['GET /v1/models', { handler: listing.list, inference: false }],
  ]);
  const retrieveModel: DialectRoute = { handler: listing.retrieve, inference: false };
  return {
    name: 'anthropic',
    route: ({ method, path }) =>
      routes.get(`${method} ${path}`) ??
      (method === 'GET' && path.startsWith(MODELS_PREFIX) && path.length > MODELS_PREFIX.length
        ? retrieveModel
        : undefined),
    credential: (call) => headerCredential(call, 'x-api-key'),
    admit: (call, credential, apiKeys) => {
      if (!credential?.key) throw new AnthropicHttpError(401, 'authentication_error', 'x-api-key header is required');
      if (apiKeys !== undefined && !apiKeys.has(credential.key)) {
        throw new AnthropicHttpError(401, 'authentication_error', 'invalid x-api-key');
      }
      if (!headerValue(call.headers, 'anthropic-version')) {
        throw anthropicInvalidRequest('anthropic-version: header is required');
      }
    },
    errors: ANTHROPIC_ERRORS,
  };
}
