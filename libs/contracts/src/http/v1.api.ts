import { Type, type Static, type TProperties } from '@tollgate/typebox';
import { Nullable } from '../schema/fields.js';

/*
 * What the /v1 surface and the edge's own endpoints answer, as far as the
 * gateway vouches for it. Upstream answers pass through with their own fields
 * (providers add some every few months), so these name the fields clients
 * rely on and allow the rest.
 */

const open = { additionalProperties: true } as const;
const upstreamAnswer = (id: string, description: string, fields: TProperties) =>
  Type.Object(fields, { ...open, $id: id, description });

export const ModelObject = Type.Object(
  { id: Type.String(), object: Type.Literal('model'), created: Type.Integer(), owned_by: Type.String() },
  { additionalProperties: false, $id: 'Model' },
);
export type ModelObject = Static<typeof ModelObject>;
export const ModelList = Type.Object(
  { object: Type.Literal('list'), data: Type.Array(ModelObject) },
  { additionalProperties: false, $id: 'ModelList' },
);

/** A model as Anthropic's API lists it: what its SDKs read when `anthropic-version` is sent. */
export const AnthropicModel = Type.Object(
  {
    type: Type.Literal('model'),
    id: Type.String(),
    display_name: Type.String(),
    created_at: Type.String({ description: 'RFC 3339; the gateway does not know it and says the Unix epoch' }),
  },
  { additionalProperties: false, $id: 'AnthropicModel' },
);
export type AnthropicModel = Static<typeof AnthropicModel>;
export const AnthropicModelList = Type.Object(
  {
    data: Type.Array(AnthropicModel),
    has_more: Type.Boolean(),
    first_id: Nullable(Type.String()),
    last_id: Nullable(Type.String()),
  },
  { additionalProperties: false, $id: 'AnthropicModelList' },
);
export type AnthropicModelList = Static<typeof AnthropicModelList>;

/** Anthropic's paging of its model list; OpenAI's list has none (and ignores these). */
export const ModelListQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'Models per page (Anthropic form), default 20' }),
    ),
    after_id: Type.Optional(
      Type.String({ minLength: 1, description: 'The page after this model id (Anthropic form)' }),
    ),
    before_id: Type.Optional(
      Type.String({ minLength: 1, description: 'The page before this model id (Anthropic form)' }),
    ),
  },
  { additionalProperties: true },
);
export type ModelListQuery = Static<typeof ModelListQuery>;

const usage = Type.Optional(
  Nullable(
    Type.Object(
      { prompt_tokens: Type.Integer(), completion_tokens: Type.Optional(Type.Integer()), total_tokens: Type.Integer() },
      open,
    ),
  ),
);

export const ChatCompletion = upstreamAnswer(
  'ChatCompletion',
  "The upstream's chat completion, relayed; with stream: true, server-sent chat.completion.chunk events",
  {
    id: Type.String(),
    object: Type.Literal('chat.completion'),
    model: Type.String(),
    choices: Type.Array(Type.Object({ index: Type.Integer() }, open)),
    usage,
  },
);
export const Completion = upstreamAnswer('Completion', "The upstream's text completion, relayed", {
  id: Type.String(),
  object: Type.Literal('text_completion'),
  model: Type.String(),
  choices: Type.Array(Type.Object({ index: Type.Integer(), text: Type.String() }, open)),
  usage,
});
export const EmbeddingList = upstreamAnswer('EmbeddingList', "The upstream's embeddings, relayed", {
  object: Type.Literal('list'),
  data: Type.Array(Type.Object({ index: Type.Integer() }, open)),
  model: Type.String(),
  usage,
});
export const ImageList = upstreamAnswer('ImageList', "The upstream's images, relayed", {
  created: Type.Integer(),
  data: Type.Array(Type.Object({}, open)),
});
export const Transcription = upstreamAnswer(
  'Transcription',
  "The upstream's transcript (json, verbose_json), relayed; text, srt and vtt are text/plain, a stream server-sent transcript.text.* events",
  { text: Type.String() },
);
export const Moderation = upstreamAnswer('Moderation', "The upstream's moderation result, relayed", {
  id: Type.String(),
  model: Type.String(),
  results: Type.Array(Type.Object({ flagged: Type.Boolean() }, open)),
});

export const BillingSubscription = Type.Object(
  {
    object: Type.Literal('billing_subscription'),
    has_payment_method: Type.Boolean(),
    soft_limit_usd: Type.Number(),
    hard_limit_usd: Type.Number({ description: 'What the account can still spend: its available balance' }),
    system_hard_limit_usd: Type.Number(),
    access_until: Type.Integer(),
  },
  { additionalProperties: false, $id: 'BillingSubscription', description: 'For chat UIs; dollars for display only' },
);
export const BillingUsage = Type.Object(
  { object: Type.Literal('list'), total_usage: Type.Number({ description: 'Cents, as OpenAI reported it' }) },
  { additionalProperties: false, $id: 'BillingUsage' },
);
export const BillingUsageQuery = Type.Object(
  {
    start_date: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD, inclusive' })),
    end_date: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD, exclusive' })),
  },
  { additionalProperties: false },
);
export const ResponseIdParams = Type.Object(
  { response_id: Type.String({ minLength: 1, maxLength: 256, description: 'The id of a stored response' }) },
  { additionalProperties: false },
);

/** What OpenAI answers a deleted response with. */
export const DeletedResponse = Type.Object(
  { id: Type.String(), object: Type.Literal('response'), deleted: Type.Boolean() },
  { ...open, $id: 'DeletedResponse' },
);

export const ModelIdParams = Type.Object(
  { id: Type.String({ minLength: 1, description: 'A model id' }) },
  { additionalProperties: false },
);

const serviceHealth = Type.Object(
  { ok: Type.Boolean(), latencyMs: Nullable(Type.Number()), error: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
export const Health = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    services: Type.Object(
      { edge: serviceHealth, auth: serviceHealth, router: serviceHealth, billing: serviceHealth },
      { additionalProperties: false },
    ),
    nats: Type.Object({ ok: Type.Boolean() }, { additionalProperties: false }),
  },
  { additionalProperties: false, $id: 'Health', description: 'Reachability of each service over NATS' },
);

/** The edge's OpenAPI document as an answer: the fields every reader starts from, and whatever else 3.1 allows. */
export const OpenApiDocumentAnswer = Type.Object(
  {
    openapi: Type.String(),
    info: Type.Object({ title: Type.String(), version: Type.String() }, open),
    paths: Type.Record(Type.String(), Type.Object({}, open)),
  },
  { ...open, $id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document' },
);
