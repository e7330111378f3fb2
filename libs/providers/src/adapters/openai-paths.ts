import type { UpstreamEndpoint } from '@tollgate/contracts';

/** The endpoints of OpenAI's API (every one but Anthropic's own). */
export type OpenAiEndpoint = Exclude<UpstreamEndpoint, 'messages' | 'messages.count_tokens'>;

/** Where each endpoint lives under an OpenAI-dialect base (`…/v1` for OpenAI, a deployment for Azure). */
export const OPENAI_PATHS: Readonly<Record<OpenAiEndpoint, string>> = {
  'chat.completions': '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
  'images.generations': '/images/generations',
  'images.edits': '/images/edits',
  'audio.speech': '/audio/speech',
  'audio.transcriptions': '/audio/transcriptions',
  'audio.translations': '/audio/translations',
  moderations: '/moderations',
  responses: '/responses',
};

/** The path of an endpoint an OpenAI-dialect adapter serves (the relay never routes another to it). */
export function openAiPath(endpoint: UpstreamEndpoint): string {
  const path = (OPENAI_PATHS as Partial<Record<UpstreamEndpoint, string>>)[endpoint];
  if (path === undefined) throw new Error(`no OpenAI path for the ${endpoint} endpoint`);
  return path;
}

export const JSON_OR_STREAM = 'application/json, text/event-stream, */*';

/** A minimal chat completion: one token, not streamed — the cheapest proof that a model answers. */
export const pingCompletion = (model: string): string =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1, stream: false });
