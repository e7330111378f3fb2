/**
 * `GET /v1/models` and `GET /v1/models/{id}` the Anthropic way (`{data, has_more, first_id, last_id}`), served
 * on the same paths as OpenAI's listing when the request carries Anthropic's headers. Any id can be
 * retrieved, for the same reason as on the OpenAI side: tests invent model names.
 */
import type { FakeHandler } from './request-context.js';
import { sendJson } from './http-io.js';
import { MODELS_PREFIX } from './models.handler.js';
import { anthropicInvalidRequest } from './anthropic-error.js';
import { modelDisplayName } from './model-display-name.js';

export const DEFAULT_ANTHROPIC_MODELS: readonly string[] = [
  'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5-20251001',
  'claude-opus-4-1-20250805',
];

/** A fixed timestamp keeps answers reproducible. */
const CREATED_AT = '2025-01-01T00:00:00Z';

const modelObject = (id: string): unknown => ({
  type: 'model',
  id,
  display_name: modelDisplayName(id),
  created_at: CREATED_AT,
});

export function createAnthropicModelHandlers(models: readonly string[]): { list: FakeHandler; retrieve: FakeHandler } {
  const listJson = JSON.stringify({
    data: models.map(modelObject),
    has_more: false,
    first_id: models.at(0) ?? null,
    last_id: models.at(-1) ?? null,
  });
  return {
    list: (ctx) => sendJson(ctx.res, 200, listJson),
    retrieve: (ctx) => {
      let id: string;
      try {
        id = decodeURIComponent(ctx.path.slice(MODELS_PREFIX.length));
      } catch {
        throw anthropicInvalidRequest('model_id: the model id in the URL is not validly percent-encoded');
      }
      sendJson(ctx.res, 200, JSON.stringify(modelObject(id)));
    },
  };
}
