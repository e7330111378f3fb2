/**
 * OpenAI's dialect: `/v1/...` with `Authorization: Bearer <key>`. It is the fallback for every path no other
 * dialect claims, so an unknown URL gets OpenAI's 404. A key is only checked when the instance was started
 * with `apiKeys`: the fake has always answered key-less OpenAI requests, and tests rely on that.
 */
import { handleChatCompletions } from './chat-completions.handler.js';
import { handleCompletions } from './completions.handler.js';
import type { Dialect, DialectErrors, DialectRoute, IncomingCall, RecordedAuth } from './dialect.js';
import { headerValue } from './dialect.js';
import { handleEmbeddings } from './embeddings.handler.js';
import { handleImageEdits, handleImageGenerations } from './images.handler.js';
import { transcriptionHandler } from './transcriptions.handler.js';
import { createModelHandlers, MODELS_PREFIX } from './models.handler.js';
import { handleModerations } from './moderations.handler.js';
import { forcedError, invalidRequest, invalidUrl, OpenAIHttpError, unreadableBody } from './openai-error.js';
import { createResponsesHandlers } from './responses.handler.js';
import type { ResponsesStore } from './responses-store.js';
import { handleSpeech } from './speech.handler.js';

export const OPENAI_ERRORS: DialectErrors = {
  notFound: invalidUrl,
  unreadableBody,
  invalidRequest: (message) => invalidRequest(message),
  invalidControl: (message) => invalidRequest(message, null, 'invalid_fake_control'),
  forced: forcedError,
  internal: (message) => new OpenAIHttpError(500, { message, type: 'server_error', param: null, code: null }),
};

/** OpenAI shows the first and last characters of a wrong key, never all of it. */
function redacted(key: string): string {
  return key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

export function bearerCredential(call: IncomingCall): RecordedAuth | undefined {
  const value = headerValue(call.headers, 'authorization');
  if (!value) return undefined;
  // Every request passes here: the common spelling skips the regular expression.
  const key = value.startsWith('Bearer ') ? value.slice(7) : value.replace(/^bearer\s+/i, '');
  return { in: 'header', name: 'authorization', value, key: key.trim() };
}

export function admitBearer(credential: RecordedAuth | undefined, apiKeys: ReadonlySet<string> | undefined): void {
  if (apiKeys === undefined) return;
  if (!credential?.key) {
    throw new OpenAIHttpError(401, {
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer " +
        'auth (i.e. Authorization: Bearer YOUR_KEY).',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
  }
  if (!apiKeys.has(credential.key)) {
    throw new OpenAIHttpError(401, {
      message: `Incorrect API key provided: ${redacted(credential.key)}.`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    });
  }
}

const RESPONSES_PREFIX = '/v1/responses/';

export function createOpenAIDialect(models: readonly string[], responses: ResponsesStore): Dialect {
  const listing = createModelHandlers(models);
  const stored = createResponsesHandlers(responses);
  const storedRoutes: Record<string, DialectRoute> = {
    GET: { handler: stored.retrieve, inference: false },
    DELETE: { handler: stored.remove, inference: false },
  };
  const routes = new Map<string, DialectRoute>([
    ['POST /v1/chat/completions', { handler: handleChatCompletions, inference: true }],
    ['POST /v1/completions', { handler: handleCompletions, inference: true }],
    ['POST /v1/embeddings', { handler: handleEmbeddings, inference: true }],
    ['POST /v1/images/generations', { handler: handleImageGenerations, inference: true }],
    ['POST /v1/audio/speech', { handler: handleSpeech, inference: true }],
    ['POST /v1/audio/transcriptions', { handler: transcriptionHandler(false), inference: true }],
    ['POST /v1/audio/translations', { handler: transcriptionHandler(true), inference: true }],
    ['POST /v1/images/edits', { handler: handleImageEdits, inference: true }],
    ['POST /v1/moderations', { handler: handleModerations, inference: true }],
    ['POST /v1/responses', { handler: stored.create, inference: true }],
    ['GET /v1/models', { handler: listing.list, inference: false }],
  ]);
  const retrieveModel: DialectRoute = { handler: listing.retrieve, inference: false };
  return {
    name: 'openai',
    route: ({ method, path }) =>
      routes.get(`${method} ${path}`) ??
      (path.startsWith(RESPONSES_PREFIX) && path.length > RESPONSES_PREFIX.length ? storedRoutes[method] : undefined) ??
      (method === 'GET' && path.startsWith(MODELS_PREFIX) && path.length > MODELS_PREFIX.length
        ? retrieveModel
        : undefined),
    credential: bearerCredential,
    admit: (_call, credential, apiKeys) => admitBearer(credential, apiKeys),
    errors: OPENAI_ERRORS,
  };
}
