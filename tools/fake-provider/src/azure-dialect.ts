/**
 * Azure OpenAI: `POST /openai/deployments/{deployment}/{operation}?api-version=…` with an `api-key` header.
 * The answers are OpenAI's — the same handlers serve them — with `model` set to the model behind the
 * deployment (`azureDeployments` maps deployment → model; without a map every deployment serves the model of
 * its own name). The body's `model` is ignored, as Azure ignores it. `GET /openai/models` lists the models
 * (the deployments' models, or the OpenAI listing's without a deployment map), which is what a gateway may
 * call to check a key.
 */
import { handleChatCompletions } from './chat-completions.handler.js';
import { handleCompletions } from './completions.handler.js';
import {
  AZURE_ACCESS_DENIED,
  azureDeploymentNotFound,
  azureError,
  azureForcedError,
  azureResourceNotFound,
} from './azure-error.js';
import type { Dialect, DialectErrors, DialectRoute, IncomingCall } from './dialect.js';
import { headerCredential } from './dialect.js';
import { handleEmbeddings } from './embeddings.handler.js';
import { handleImageEdits, handleImageGenerations } from './images.handler.js';
import { transcriptionHandler } from './transcriptions.handler.js';
import { sendJson } from './http-io.js';
import { OPENAI_ERRORS } from './openai-dialect.js';
import type { FakeHandler } from './request-context.js';
import { createResponsesHandlers } from './responses.handler.js';
import type { ResponsesStore } from './responses-store.js';
import { handleSpeech } from './speech.handler.js';

const OPERATIONS: ReadonlyMap<string, FakeHandler> = new Map([
  ['chat/completions', handleChatCompletions],
  ['completions', handleCompletions],
  ['embeddings', handleEmbeddings],
  ['images/generations', handleImageGenerations],
  ['audio/speech', handleSpeech],
  ['audio/transcriptions', transcriptionHandler(false)],
  ['audio/translations', transcriptionHandler(true)],
  ['images/edits', handleImageEdits],
]);

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)\/(.+)$/;
/** `2024-10-21`, `2025-04-01-preview`: the forms Azure's api-version takes. */
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
export const AZURE_PATH_PREFIX = '/openai/';
const MODELS_PATH = '/openai/models';
/**
 * Azure's v1 API, where the Responses API lives: not under a deployment (the body's `model` names it) and
 * without an api-version.
 */
const V1_RESPONSES_PATH = '/openai/v1/responses';
/** A fixed timestamp keeps answers reproducible. */
const MODEL_CREATED_AT = 1_700_000_000;

/** Azure's model objects: OpenAI's `id` and `object` plus its lifecycle fields. */
function modelListHandler(models: readonly string[]): FakeHandler {
  const json = JSON.stringify({
    data: [...new Set(models)].map((id) => ({
      status: 'succeeded',
      capabilities: { chat_completion: true, completion: true, embeddings: id.includes('embedding'), inference: true },
      lifecycle_status: 'generally-available',
      id,
      created_at: MODEL_CREATED_AT,
      object: 'model',
    })),
    object: 'list',
  });
  return (ctx) => sendJson(ctx.res, 200, json);
}

const AZURE_ERRORS: DialectErrors = {
  ...OPENAI_ERRORS,
  notFound: azureResourceNotFound,
  forced: azureForcedError,
};

function deploymentOf(path: string): { deployment: string; operation: string } | undefined {
  const match = DEPLOYMENT_PATH.exec(path);
  if (!match) return undefined;
  try {
    return { deployment: decodeURIComponent(match[1]), operation: match[2] };
  } catch {
    return undefined;
  }
}

export function createAzureDialect(
  deployments: Readonly<Record<string, string>> | undefined,
  openAIModels: readonly string[],
  responses: ResponsesStore,
): Dialect {
  const modelOf = (deployment: string): string | undefined =>
    deployments === undefined ? deployment : deployments[deployment];
  const listModels = modelListHandler(deployments === undefined ? openAIModels : Object.values(deployments));
  const stored = createResponsesHandlers(responses);
  /** The deployment is the body's `model`; the answer names the model behind it, as Azure's do. */
  const createResponse: FakeHandler = (ctx) => {
    const deployment = ctx.body.model;
    const model = typeof deployment === 'string' ? modelOf(deployment) : undefined;
    if (typeof deployment === 'string' && model === undefined) throw azureDeploymentNotFound();
    return stored.create(model === undefined ? ctx : { ...ctx, body: { ...ctx.body, model } });
  };
  const v1Route = (method: string, path: string): DialectRoute | undefined => {
    if (path === V1_RESPONSES_PATH) return method === 'POST' ? { handler: createResponse, inference: true } : undefined;
    if (!path.startsWith(`${V1_RESPONSES_PATH}/`) || path.length <= V1_RESPONSES_PATH.length + 1) return undefined;
    if (method === 'GET') return { handler: stored.retrieve, inference: false };
    return method === 'DELETE' ? { handler: stored.remove, inference: false } : undefined;
  };

  return {
    name: 'azure',
    route: ({ method, path }: IncomingCall) => {
      if (path === MODELS_PATH) return method === 'GET' ? { handler: listModels, inference: false } : undefined;
      if (path.startsWith(V1_RESPONSES_PATH)) return v1Route(method, path);
      const target = deploymentOf(path);
      const handler = target && method === 'POST' ? OPERATIONS.get(target.operation) : undefined;
      if (!target || !handler) return undefined;
      const model = modelOf(target.deployment);
      return {
        inference: true,
        model,
        // The OpenAI handlers echo `body.model`; Azure answers with the deployment's model instead.
        handler: (ctx) => handler({ ...ctx, body: { ...ctx.body, model } }),
      };
    },
    credential: (call) => headerCredential(call, 'api-key'),
    admit: (call, credential, apiKeys) => {
      const version = call.query.get('api-version');
      const v1 = call.path.startsWith(V1_RESPONSES_PATH);
      if (!version && !v1) throw azureResourceNotFound();
      if (version && !API_VERSION.test(version) && !(v1 && version === 'preview')) {
        throw azureError(400, 'BadRequest', 'API version not supported');
      }
      if (!credential?.key || (apiKeys !== undefined && !apiKeys.has(credential.key))) {
        throw azureError(401, '401', AZURE_ACCESS_DENIED);
      }
      const target = deploymentOf(call.path);
      if (target && modelOf(target.deployment) === undefined) throw azureDeploymentNotFound();
    },
    errors: AZURE_ERRORS,
  };
}
