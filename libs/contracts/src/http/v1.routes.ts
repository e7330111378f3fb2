import { Type } from '@tollgate/typebox';
import { DenialReason as D } from '@tollgate/errors';
import {
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
  ModelIdParams,
  ModelList,
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
  fields: Pick<RouteDeclaration, 'operationId' | 'path' | 'summary' | 'body' | 'upload'> & {
    answer: RouteDeclaration['success'];
    denials?: readonly D[];
  },
): RouteDeclaration => ({
  operationId: fields.operationId,
  method: 'post',
  path: fields.path,
  tag: 'openai',
  summary: fields.summary,
  description:
    'OpenAI-compatible: fields the gateway does not check pass through to the upstream untouched. An upstream 4xx that is not retried passes through with its status and body, the tid added.',
  access: 'key',
  body: fields.upload?.fields ?? fields.body,
  ...(fields.upload ? { upload: fields.upload } : {}),
  success: fields.answer,
  denials: [...RELAYED, ...(fields.denials ?? [])],
});

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
  listModels: {
    operationId: 'listModels',
    method: 'get',
    path: '/v1/models',
    tag: 'openai',
    summary: 'The models the calling key may use',
    access: 'key',
    success: { status: 200, schema: ModelList, description: 'The models' },
    denials: [],
  },
  getModel: {
    operationId: 'retrieveModel',
    method: 'get',
    path: '/v1/models/{id}',
    tag: 'openai',
    summary: 'One model the calling key may use',
    access: 'key',
    params: ModelIdParams,
    success: { status: 200, schema: ModelObject, description: 'The model' },
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
  metrics: {
    operationId: 'getMetrics',
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    summary: "The edge's Prometheus metrics",
    access: 'public',
    query: NoQuery,
    success: { status: 200, contentType: 'text/plain', description: 'Prometheus text format' },
    denials: [],
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
