import type { ProviderAdapter, UpstreamTarget } from './provider-adapter.js';

const authorization = (target: UpstreamTarget) => ({ authorization: `Bearer ${target.apiKey}` });

/** OpenAI and every OpenAI-compatible upstream; the base URL includes the version path (`…/v1`). */
export const openAiAdapter: ProviderAdapter = {
  type: 'openai',
  keyCheck: (target) => ({
    method: 'GET',
    url: `${target.baseUrl}/models`,
    headers: { ...authorization(target), accept: 'application/json' },
  }),
  testCompletion: (target, upstreamModel) => ({
    method: 'POST',
    url: `${target.baseUrl}/chat/completions`,
    headers: { ...authorization(target), 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      model: upstreamModel,
      messages: [{ role: 'user', content: 'ping' }],
      max_tokens: 1,
      stream: false,
    }),
  }),
  // OpenAI's codes for a key that no retry or cooldown will bring back.
  deadKeyErrorCodes: new Set([
    'invalid_api_key',
    'insufficient_quota',
    'account_deactivated',
    'billing_not_active',
    'billing_hard_limit_reached',
    'access_terminated',
  ]),
};
