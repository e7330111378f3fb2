import { AZURE_DEFAULT_API_VERSION, type UpstreamEndpoint } from '@tollgate/contracts';
import type { ChannelTarget, ProviderAdapter } from '../provider-adapter.js';
import { OPENAI_DIALECT } from './openai.adapter.js';
import { JSON_OR_STREAM, OPENAI_PATHS, pingCompletion } from './openai-paths.js';

/** Built as one literal, not spread into one (see the openai adapter's headers). */
const headers = (target: ChannelTarget, accept: string, withBody: boolean): Record<string, string> =>
  withBody
    ? { 'api-key': target.apiKey, 'content-type': 'application/json', accept }
    : { 'api-key': target.apiKey, accept };
const version = (target: ChannelTarget) =>
  `api-version=${encodeURIComponent(target.apiVersion ?? AZURE_DEFAULT_API_VERSION)}`;

/** `{base}/openai/deployments/{deployment}/…`: the deployment is the channel's name for the model. */
const deploymentUrl = (target: ChannelTarget, deployment: string, path: string) =>
  `${target.baseUrl}/openai/deployments/${encodeURIComponent(deployment)}${path}?${version(target)}`;

// Azure OpenAI has no moderations endpoint (content filtering is built into every deployment).
const AZURE_ENDPOINTS: ReadonlySet<UpstreamEndpoint> = new Set([
  'chat.completions',
  'completions',
  'embeddings',
  'images.generations',
  'audio.speech',
]);

/**
 * Azure OpenAI: OpenAI's bodies, answers and streams, at deployment URLs
 * with the `api-key` header and an `api-version` query. The base URL is the
 * resource endpoint (`https://{resource}.openai.azure.com`).
 */
export const azureAdapter: ProviderAdapter = {
  type: 'azure',
  endpoints: AZURE_ENDPOINTS,
  request: (request) => ({
    method: 'POST',
    url: deploymentUrl(request.target, request.upstreamModel, OPENAI_PATHS[request.endpoint]),
    headers: headers(request.target, JSON_OR_STREAM, true),
    body: request.openAiBytes(),
  }),
  ...OPENAI_DIALECT,
  keyCheck: (target) => ({
    method: 'GET',
    url: `${target.baseUrl}/openai/models?${version(target)}`,
    headers: headers(target, 'application/json', false),
  }),
  testCompletion: (target, deployment) => ({
    method: 'POST',
    url: deploymentUrl(target, deployment, OPENAI_PATHS['chat.completions']),
    headers: headers(target, 'application/json', true),
    body: pingCompletion(deployment),
  }),
};
