/**
 * Gemini's `GET /v1beta/models` (`{"models": [{"name": "models/…", …}]}`) and `GET /v1beta/models/{model}`.
 * Embedding models (an id containing "embedding") list `embedContent` as their method, the others
 * `generateContent`; any id can be retrieved, because tests invent model names.
 */
import { modelDisplayName } from './model-display-name.js';
import { sendJson } from './http-io.js';
import type { FakeHandler } from './request-context.js';

export const DEFAULT_GEMINI_MODELS: readonly string[] = ['gemini-2.5-flash', 'gemini-2.0-flash', 'text-embedding-004'];

export function geminiModelObject(id: string): Record<string, unknown> {
  const common = {
    name: `models/${id}`,
    version: '001',
    displayName: modelDisplayName(id),
    description: `Fake ${id}.`,
  };
  if (id.includes('embedding')) {
    return {
      ...common,
      inputTokenLimit: 2048,
      outputTokenLimit: 1,
      supportedGenerationMethods: ['embedContent', 'batchEmbedContents'],
    };
  }
  return {
    ...common,
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 65_536,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
  };
}

export function createGeminiModelHandlers(models: readonly string[]): {
  list: FakeHandler;
  retrieve: (id: string) => FakeHandler;
} {
  const listJson = JSON.stringify({ models: models.map(geminiModelObject) });
  return {
    list: (ctx) => sendJson(ctx.res, 200, listJson),
    retrieve: (id) => (ctx) => sendJson(ctx.res, 200, JSON.stringify(geminiModelObject(id))),
  };
}
