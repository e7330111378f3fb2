import { Type } from '@tollgate/typebox';
import { DenialReason as D } from '@tollgate/errors';
import {
  AnthropicErrorEnvelope,
  AnthropicMessage,
  CountTokensAnswer,
  CountTokensRequest,
  MessagesRequest,
  ResponseObject,
  ResponsesRequest,
  ChatCompletionRequest,
  CompletionRequest,
  EmbeddingRequest,
  ImageGenerationRequest,
  IMAGE_EDIT_FORM,
  ModerationRequest,
  SpeechRequest,
  TRANSCRIPTION_FORM,
  TRANSLATION_FORM,
} from '../openai/index.js';
import { declareRoutes, type RouteDeclaration } from './route.js';
import {
  BillingSubscription,
  BillingUsage,
  BillingUsageQuery,
  ChatCompletion,
  Completion,
  EmbeddingList,
  Health,
  ImageList,
  AnthropicModel,
  AnthropicModelList,
  ModelIdParams,
  ModelList,
  ModelListQuery,
  DeletedResponse,
  ResponseIdParams,
  ModelObject,
  Moderation,
  OpenApiDocumentAnswer,
  Transcription,
} from './v1.api.js';

/** What every relayed /v1 request can be refused with, in the documented precedence. */
const RELAYED = [
  D.ModelNotAllowed,
  D.ChannelPinForbidden,
  D.ChannelDisabled,
  D.InvalidChannelId,
  D.NoAvailableChannel,
  D.ProviderRateLimited,
  D.TooManyRequests,
  D.InsufficientUserQuota,
  D.KeyBudgetExceeded,
  D.ModelPriceMissing,
  D.UpstreamUnavailable,
  D.UpstreamTimeout,
] as const;

const relayed = (
  fields: Pick<RouteDeclaration, 'operationId' | 'path' | 'summary' | 'body' | 'errorSchema' | 'upload'> & {
    answer: RouteDeclaration['success'];
    denials?: readonly D[];
    tag?: string;
    description?: string;
  },
): RouteDeclaration => ({
  operationId: fields.operationId,
  method: 'post',
  path: fields.path,
  tag: fields.tag ?? 'openai',
  summary: fields.summary,
  description:
    fields.description ??
    'OpenAI-compatible: fields the gateway does not check pass through to the upstream untouched. An upstream 4xx that is not retried passes through with its status and body, the tid added.',
  access: 'key',
  body: fields.upload?.fields ?? fields.body,
  ...(fields.upload ? { upload: fields.upload } : {}),
  success: fields.answer,
  denials: [...RELAYED, ...(fields.denials ?? [])],
  ...(fields.errorSchema ? { errorSchema: fields.errorSchema } : {}),
});

const DIALECT_NOTE =
  'Served on every channel type: natively where the channel speaks this API (the body passes as it came), translated to and from chat completions elsewhere; a field only a native channel can serve is a 400 naming it when none serves the model.';

/** The OpenAI-compatible surface, and the edge's own operational endpoints. */
export const V1_ROUTES = declareRoutes({
  chatCompletions: relayed({
    operationId: 'createChatCompletion',
    path: '/v1/chat/completions',
    summary: 'Chat completion (JSON, or server-sent events with stream: true)',
    body: ChatCompletionRequest,
    answer: {
      status: 200,
      schema: ChatCompletion,
      contentType: 'text/event-stream',
      description: 'The completion, or its stream',
    },
    denials: [D.NNotWithinRange],
  }),
  completions: relayed({
    operationId: 'createCompletion',
    path: '/v1/completions',
    summary: 'Legacy text completion (JSON, or server-sent events with stream: true)',
    body: CompletionRequest,
    answer: {
      status: 200,
      schema: Completion,
      contentType: 'text/event-stream',
      description: 'The completion, or its stream',
    },
    denials: [D.NNotWithinRange],
  }),
  embeddings: relayed({
    operationId: 'createEmbedding',
    path: '/v1/embeddings',
    summary: 'Embeddings',
    body: EmbeddingRequest,
    answer: { status: 200, schema: EmbeddingList, description: 'The embeddings' },
  }),
  imageGenerations: relayed({
    operationId: 'createImage',
    path: '/v1/images/generations',
    summary: 'Image generation',
    body: ImageGenerationRequest,
    answer: { status: 200, schema: ImageList, description: 'The images' },
    denials: [D.PromptMissing, D.PromptTooLong, D.SizeNotSupported, D.NNotWithinRange],
  }),
  imageEdits: relayed({
    operationId: 'createImageEdit',
    path: '/v1/images/edits',
    summary: 'Image edit (multipart/form-data: image or image[], mask, prompt…)',
    upload: IMAGE_EDIT_FORM,
    answer: { status: 200, schema: ImageList, description: 'The edited images' },
    denials: [D.PromptMissing, D.PromptTooLong, D.SizeNotSupported, D.NNotWithinRange],
  }),
  transcriptions: relayed({
    operationId: 'createTranscription',
    path: '/v1/audio/transcriptions',
    summary: 'Speech to text (multipart/form-data: file, model…; server-sent events with stream: true)',
    upload: TRANSCRIPTION_FORM,
    answer: {
      status: 200,
      schema: Transcription,
      contentType: ['text/plain', 'text/event-stream'],
      description: 'The transcript: JSON, text (text, srt, vtt) or its stream',
    },
  }),
  translations: relayed({
    operationId: 'createTranslation',
    path: '/v1/audio/translations',
    summary: 'Speech to English text (multipart/form-data: file, model…)',
    upload: TRANSLATION_FORM,
    answer: {
      status: 200,
      schema: Transcription,
      contentType: 'text/plain',
      description: 'The English text: JSON, or text (text, srt, vtt)',
    },
  }),
  speech: relayed({
    operationId: 'createSpeech',
    path: '/v1/audio/speech',
    summary: 'Text to speech',
    body: SpeechRequest,
    answer: { status: 200, contentType: 'application/octet-stream', description: 'The audio' },
    denials: [D.TextTooLong],
  }),
  moderations: relayed({
    operationId: 'createModeration',
    path: '/v1/moderations',
    summary: 'Moderation',
    body: ModerationRequest,
    answer: { status: 200, schema: Moderation, description: 'The moderation result' },
  }),
  createResponse: relayed({
    operationId: 'createResponse',
    path: '/v1/responses',
    summary: "OpenAI's Responses API (JSON, or its event stream with stream: true)",
    description: `${DIALECT_NOTE} Natively on openai and azure channels; a response they store (store is not false) is remembered with its channel, so previous_response_id follow-ups and reads go there.`,
    body: ResponsesRequest,
    answer: {
      status: 200,
      schema: ResponseObject,
      contentType: 'text/event-stream',
      description: 'The response, or its event stream',
    },
  }),
  getResponse: {
    operationId: 'getResponse',
    method: 'get',
    path: '/v1/responses/{response_id}',
    tag: 'openai',
    summary: 'A stored response, read from the channel that stored it',
    access: 'key',
    params: ResponseIdParams,
    success: { status: 200, schema: ResponseObject, description: 'The response' },
    denials: [
      D.ResourceNotFound,
      D.NoAvailableChannel,
      D.ProviderRateLimited,
      D.UpstreamUnavailable,
      D.UpstreamTimeout,
    ],
  },
  deleteResponse: {
    operationId: 'deleteResponse',
    method: 'delete',
    path: '/v1/responses/{response_id}',
    tag: 'openai',
    summary: 'Deletes a stored response where it is stored',
    access: 'key',
    params: ResponseIdParams,
    success: { status: 200, schema: DeletedResponse, description: 'The deletion' },
    denials: [
      D.ResourceNotFound,
      D.NoAvailableChannel,
      D.ProviderRateLimited,
      D.UpstreamUnavailable,
      D.UpstreamTimeout,
    ],
  },
  messages: relayed({
    operationId: 'createMessage',
    path: '/v1/messages',
    tag: 'anthropic',
    summary: "Anthropic's Messages API (JSON, or its event stream with stream: true)",
    description: `${DIALECT_NOTE} Natively on anthropic channels, with the client's anthropic-version and anthropic-beta. The key may come in x-api-key. Errors are Anthropic's envelope, the documented message in error.message and its identifier in error.code.`,
    body: MessagesRequest,
    answer: {
      status: 200,
      schema: AnthropicMessage,
      contentType: 'text/event-stream',
      description: 'The message, or its event stream',
    },
    errorSchema: AnthropicErrorEnvelope,
  }),
  countMessageTokens: {
    operationId: 'countMessageTokens',
    method: 'post',
    path: '/v1/messages/count_tokens',
    tag: 'anthropic',
    summary: 'The input tokens of a Messages request',
    description:
      "Anthropic's own count when an anthropic channel serves the model, else the gateway's estimate (the count its holds are sized from). Free: nothing is held or charged.",
    access: 'key',
    body: CountTokensRequest,
    success: { status: 200, schema: CountTokensAnswer, description: 'The count' },
    denials: [D.ModelNotAllowed, D.ChannelPinForbidden, D.ChannelDisabled, D.InvalidChannelId],
    errorSchema: AnthropicErrorEnvelope,
  },
  listModels: {
    operationId: 'listModels',
    method: 'get',
    path: '/v1/models',
    tag: 'openai',
    summary: 'The models the calling key may use',
    description:
      "OpenAI's list; Anthropic's (`data`, `has_more`, `first_id`, `last_id`, paged by `limit`, `after_id`, `before_id`) when the request sends `anthropic-version`, as Anthropic's SDKs do.",
    access: 'key',
    query: ModelListQuery,
    success: {
      status: 200,
      schema: Type.Union([ModelList, AnthropicModelList]),
      description: 'The models',
    },
    denials: [],
  },
  getModel: {
    operationId: 'retrieveModel',
    method: 'get',
    path: '/v1/models/{id}',
    tag: 'openai',
    summary: 'One model the calling key may use',
    description: "OpenAI's model object; Anthropic's when the request sends `anthropic-version`.",
    access: 'key',
    params: ModelIdParams,
    success: { status: 200, schema: Type.Union([ModelObject, AnthropicModel]), description: 'The model' },
    denials: [D.ModelNotAllowed, D.ResourceNotFound],
  },
  billingSubscription: {
    operationId: 'getBillingSubscription',
    method: 'get',
    path: '/v1/dashboard/billing/subscription',
    tag: 'openai',
    summary: "The caller's available balance, as chat UIs read it",
    access: 'key',
    success: { status: 200, schema: BillingSubscription, description: 'The balance' },
    denials: [],
  },
  billingUsage: {
    operationId: 'getBillingUsage',
    method: 'get',
    path: '/v1/dashboard/billing/usage',
    tag: 'openai',
    summary: "The caller's spending over a period, as chat UIs read it",
    access: 'key',
    query: BillingUsageQuery,
    success: { status: 200, schema: BillingUsage, description: 'The spending' },
    denials: [],
  },
});

/** Operational endpoints take no input: a query parameter there is a mistake, named in a 400. */
const NoQuery = Type.Object({}, { additionalProperties: false });

export const OPS_ROUTES = declareRoutes({
  health: {
    operationId: 'getHealth',
    method: 'get',
    path: '/healthz',
    tag: 'operations',
    summary: 'Whether every service answers over NATS; 503 when one does not',
    access: 'public',
    query: NoQuery,
    success: { status: 200, schema: Health, description: 'Every service answers' },
    denials: [D.ServiceUnavailable],
  },
  openApi: {
    operationId: 'getOpenApiDocument',
    method: 'get',
    path: '/admin/v1/openapi.json',
    tag: 'operations',
    summary: 'This document',
    access: 'public',
    query: NoQuery,
    success: { status: 200, schema: OpenApiDocumentAnswer, description: 'The OpenAPI 3.1 document' },
    denials: [],
  },
});
