import { AZURE_DEFAULT_API_VERSION, type UpstreamEndpoint } from '@tollgate/contracts';
import type { ChannelTarget, ProviderAdapter } from '../provider-adapter.js';
import { OPENAI_DIALECT } from './openai.adapter.js';
import { JSON_OR_STREAM, OPENAI_PATHS, openAiPath, pingCompletion } from './openai-paths.js';

/** Built as one literal, not spread into one (see the openai adapter's headers). */
const headers = (target: ChannelTarget, accept: string, contentType: string | null): Record<string, string> =>
  contentType
    ? { 'api-key': target.apiKey, 'content-type': contentType, accept }
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
  'images.edits',
  'audio.speech',
  'audio.transcriptions',
  'audio.translations',
  'responses',
]);

/**
 * The Responses API is not under a deployment: Azure serves it at its v1 API
 * (`{base}/openai/v1/responses`, no api-version), the deployment named as the body's model.
 */
const AZURE_RESPONSES_PATH = '/openai/v1/responses';

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
    url:
      request.endpoint === 'responses'
        ? request.target.baseUrl + AZURE_RESPONSES_PATH
        : deploymentUrl(request.target, request.upstreamModel, openAiPath(request.endpoint)),
    headers: headers(request.target, JSON_OR_STREAM, request.contentType),
    body: request.openAiBytes(),
  }),
  ...OPENAI_DIALECT,
  keyCheck: (target) => ({
    method: 'GET',
    url: `${target.baseUrl}/openai/models?${version(target)}`,
    headers: headers(target, 'application/json', null),
  }),
  storedResponse: (target, responseId, method) => ({
    method,
    url: `${target.baseUrl}${AZURE_RESPONSES_PATH}/${encodeURIComponent(responseId)}`,
    headers: headers(target, 'application/json', null),
  }),
  testCompletion: (target, deployment) => ({
    method: 'POST',
    url: deploymentUrl(target, deployment, OPENAI_PATHS['chat.completions']),
    headers: headers(target, 'application/json', 'application/json'),
    body: pingCompletion(deployment),
  }),
};
