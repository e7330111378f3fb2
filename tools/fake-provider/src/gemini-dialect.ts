/**
 * Gemini's dialect (the Generative Language API): `POST /v1beta/models/{model}:{method}` and the model
 * listing, keyed by an `x-goog-api-key` header or a `?key=` query parameter (the header wins when both are
 * sent). The model comes from the URL, not the body. `/v1/models/{model}:{method}` is accepted too: it is
 * the stable API version, and the `:` keeps it apart from OpenAI's `/v1/models/{id}`.
 */
import type { Dialect, DialectRoute, IncomingCall, RecordedAuth } from './dialect.js';
import { headerCredential } from './dialect.js';
import { handleGeminiCountTokens } from './gemini-count-tokens.handler.js';
import { handleGeminiBatchEmbed, handleGeminiEmbed } from './gemini-embed.handler.js';
import { GEMINI_ERRORS, GeminiHttpError } from './gemini-error.js';
import { handleGeminiGenerate } from './gemini-generate.handler.js';
import { createGeminiModelHandlers } from './gemini-models.handler.js';

const MODEL_CALL = /^\/(?:v1|v1beta|v1alpha)\/models\/([^/:]+):([A-Za-z]+)$/;
const MODEL_LIST = /^\/(?:v1beta|v1alpha)\/models$/;
const MODEL_GET = /^\/(?:v1beta|v1alpha)\/models\/([^/:]+)$/;

/** Whether the path is Gemini's: its API versions, or a `models/{model}:{method}` call. */
export function isGeminiPath(path: string): boolean {
  return path.startsWith('/v1beta/') || path.startsWith('/v1alpha/') || MODEL_CALL.test(path);
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function modelCall(model: string, method: string): DialectRoute | undefined {
  switch (method) {
    case 'generateContent':
      return { model, inference: true, handler: (ctx) => handleGeminiGenerate(ctx, model, false) };
    case 'streamGenerateContent':
      return { model, inference: true, handler: (ctx) => handleGeminiGenerate(ctx, model, true) };
    case 'embedContent':
      return { model, inference: true, handler: handleGeminiEmbed };
    case 'batchEmbedContents':
      return { model, inference: true, handler: handleGeminiBatchEmbed };
    case 'countTokens':
      return { model, inference: false, handler: handleGeminiCountTokens };
    default:
      return undefined;
  }
}

function credential(call: IncomingCall): RecordedAuth | undefined {
  const header = headerCredential(call, 'x-goog-api-key');
  if (header) return header;
  const key = call.query.get('key');
  return key ? { in: 'query', name: 'key', value: key, key } : undefined;
}

export function createGeminiDialect(models: readonly string[]): Dialect {
  const listing = createGeminiModelHandlers(models);
  return {
    name: 'gemini',
    route: ({ method, path }) => {
      const call = method === 'POST' ? MODEL_CALL.exec(path) : null;
      if (call) {
        const model = decoded(call[1]);
        return model === undefined ? undefined : modelCall(model, call[2]);
      }
      if (method !== 'GET') return undefined;
      if (MODEL_LIST.test(path)) return { handler: listing.list, inference: false };
      const get = MODEL_GET.exec(path);
      const model = get ? decoded(get[1]) : undefined;
      return model === undefined ? undefined : { handler: listing.retrieve(model), inference: false };
    },
    credential,
    admit: (_call, found, apiKeys) => {
      if (!found?.key) {
        throw new GeminiHttpError(
          403,
          'PERMISSION_DENIED',
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key " +
            'or other form of API consumer identity to call this API.',
        );
      }
      if (apiKeys !== undefined && !apiKeys.has(found.key)) {
        throw new GeminiHttpError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
        ]);
      }
    },
    errors: GEMINI_ERRORS,
  };
}
