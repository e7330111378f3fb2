import type { FastifyRequest } from 'fastify';
import type { AnthropicModel, AnthropicModelList, ModelListQuery, ModelObject } from '@tollgate/contracts';
import { invalid } from '../body-fields.js';

/** Anthropic's default page size for its model list. */
const ANTHROPIC_DEFAULT_LIMIT = 20;
// The gateway does not know when a model was released; the epoch says so rather than inventing a date.
const UNKNOWN_CREATED_AT = '1970-01-01T00:00:00Z';

/**
 * Whether the caller reads Anthropic's forms: its SDKs and Claude Code send
 * `anthropic-version` on every request; OpenAI's never do.
 */
export const speaksAnthropic = (request: FastifyRequest): boolean => request.headers['anthropic-version'] !== undefined;

export const openAiModel = (id: string): ModelObject => ({ id, object: 'model', created: 0, owned_by: 'tollgate' });

export const anthropicModel = (id: string): AnthropicModel => ({
  type: 'model',
  id,
  display_name: id,
  created_at: UNKNOWN_CREATED_AT,
});

/**
 * One page of Anthropic's model list: `limit` models after `after_id`, or
 * before `before_id`, in the router's order. An id that is not in the list
 * is a 400 naming it (it cannot be paged from).
 */
export function anthropicModelPage(models: readonly string[], query: ModelListQuery): AnthropicModelList {
  const limit = query.limit ?? ANTHROPIC_DEFAULT_LIMIT;
  let start = 0;
  let end = models.length;
  if (query.after_id !== undefined) {
    const at = models.indexOf(query.after_id);
    if (at === -1) throw invalid('after_id', `after_id names no model of this list: ${query.after_id.slice(0, 80)}`);
    start = at + 1;
  }
  if (query.before_id !== undefined) {
    const at = models.indexOf(query.before_id);
    if (at === -1) throw invalid('before_id', `before_id names no model of this list: ${query.before_id.slice(0, 80)}`);
    end = at;
  }
  // Paging backwards (before_id alone) takes the page that ends just before it.
  const backwards = query.before_id !== undefined && query.after_id === undefined;
  const from = backwards ? Math.max(start, end - limit) : start;
  const to = backwards ? end : Math.min(end, start + limit);
  const page = models.slice(from, Math.max(from, to)).map(anthropicModel);
  return {
    data: page,
    has_more: backwards ? from > start : to < end,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
  };
}
