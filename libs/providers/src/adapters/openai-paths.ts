import type { UpstreamEndpoint } from '@tollgate/contracts';

/** Where each endpoint lives under an OpenAI-dialect base (`…/v1` for OpenAI, a deployment for Azure). */
export const OPENAI_PATHS: Readonly<Record<UpstreamEndpoint, string>> = {
  'chat.completions': '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
  'images.generations': '/images/generations',
  'audio.speech': '/audio/speech',
  moderations: '/moderations',
};

export const JSON_OR_STREAM = 'application/json, text/event-stream, */*';

/** A minimal chat completion: one token, not streamed — the cheapest proof that a model answers. */
export const pingCompletion = (model: string): string =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1, stream: false });
