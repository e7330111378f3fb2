import { randomUUID } from 'node:crypto';

/**
 * OpenAI's ids are a prefix and letters, digits, `_` or `-`: `resp_…`,
 * `msg_…`, `fc_…`. Ids of a translated answer keep the upstream's id after
 * the prefix (so logs on both sides can be matched), in that alphabet.
 */
export function openAiId(prefix: string, source: unknown): string {
  const kept = typeof source === 'string' ? source.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100) : '';
  return `${prefix}${kept || randomUUID().replaceAll('-', '')}`;
}
