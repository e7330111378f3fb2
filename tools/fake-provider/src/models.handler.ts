/**
 * `GET /v1/models` and `GET /v1/models/{id}`. The list is configurable and serialized once; retrieving a
 * model answers for any id, because a fake that 404s on an unknown model would break every test that
 * invents model names.
 */
import { sendJson } from './http-io.js';
import { invalidRequest } from './openai-error.js';
import type { FakeHandler } from './request-context.js';

export const DEFAULT_FAKE_MODELS: readonly string[] = [
  'fake-model',
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-3.5-turbo-instruct',
  'text-embedding-3-small',
  'dall-e-3',
  'tts-1',
  'omni-moderation-latest',
];

/** A fixed timestamp: model objects are static, and a fixed value keeps answers byte-for-byte reproducible. */
const MODEL_CREATED = 1_700_000_000;
export const MODELS_PREFIX = '/v1/models/';

const modelObject = (id: string): unknown => ({
  id,
  object: 'model',
  created: MODEL_CREATED,
  owned_by: 'fake-provider',
});

export function createModelHandlers(models: readonly string[]): { list: FakeHandler; retrieve: FakeHandler } {
  const listJson = JSON.stringify({ object: 'list', data: models.map(modelObject) });
  return {
    list: (ctx) => sendJson(ctx.res, 200, listJson),
    retrieve: (ctx) => {
      // Ids may contain "/" or ":" (fine-tunes), so everything after the prefix is the id.
      let id: string;
      try {
        id = decodeURIComponent(ctx.path.slice(MODELS_PREFIX.length));
      } catch {
        throw invalidRequest('The model id in the URL is not validly percent-encoded.', 'model', 'invalid_value');
      }
      sendJson(ctx.res, 200, JSON.stringify(modelObject(id)));
    },
  };
}
