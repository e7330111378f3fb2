import { Type, type Static } from '@tollgate/typebox';
import { Omittable, PASS_THROUGH, RequestedModel } from './request-fields.js';

const Message = Type.Object(
  {
    role: Type.Union([Type.Literal('user'), Type.Literal('assistant')], {
      errorMessage: '{param} must be user or assistant',
    }),
    content: Type.Union([Type.String(), Type.Array(Type.Object({ type: Type.String() }, PASS_THROUGH))], {
      errorMessage: '{param} must be a string or an array of content blocks, each with a type',
    }),
  },
  { ...PASS_THROUGH, errorMessage: 'each message must be an object with a role and content' },
);

const MESSAGES_INPUT = {
  model: RequestedModel(),
  messages: Type.Array(Message, { minItems: 1, errorParam: 'list', errorMessage: '{param} must be a non-empty array' }),
  system: Omittable(
    Type.Union([Type.String(), Type.Array(Type.Object({ type: Type.String() }, PASS_THROUGH))], {
      errorMessage: '{param} must be a string or an array of text blocks',
    }),
  ),
  tools: Omittable(Type.Array(Type.Object({}, PASS_THROUGH))),
  tool_choice: Omittable(Type.Object({ type: Type.String() }, PASS_THROUGH)),
  thinking: Omittable(Type.Object({ type: Type.String() }, PASS_THROUGH)),
};

export const MessagesRequest = Type.Object(
  {
    ...MESSAGES_INPUT,
    max_tokens: Type.Integer({
      minimum: 1,
      description: 'Most tokens to generate (required, as Anthropic requires it); the hold is sized by it',
    }),
    stream: Omittable(Type.Boolean(), { description: "Answer as Anthropic's server-sent events" }),
    stop_sequences: Omittable(Type.Array(Type.String())),
    temperature: Omittable(Type.Number()),
    top_p: Omittable(Type.Number()),
    top_k: Omittable(Type.Integer({ minimum: 0 })),
    metadata: Omittable(Type.Object({}, PASS_THROUGH)),
  },
  {
    ...PASS_THROUGH,
    $id: 'MessagesRequest',
    description:
      'POST /v1/messages, as Anthropic documents it. Only the fields the gateway reads are declared; every other field is passed to an anthropic upstream as sent.',
  },
);
export type MessagesRequest = Static<typeof MessagesRequest>;

export const CountTokensRequest = Type.Object(MESSAGES_INPUT, {
  ...PASS_THROUGH,
  $id: 'CountTokensRequest',
  description: 'POST /v1/messages/count_tokens: a Messages request without max_tokens',
});
export type CountTokensRequest = Static<typeof CountTokensRequest>;

/** A Message as the gateway vouches for it; the rest passes as the upstream sent it. */
export const AnthropicMessage = Type.Object(
  {
    id: Type.String(),
    type: Type.Literal('message'),
    role: Type.Literal('assistant'),
    model: Type.String(),
    content: Type.Array(Type.Object({ type: Type.String() }, PASS_THROUGH)),
    stop_reason: Type.Union([Type.String(), Type.Null()]),
    usage: Type.Object({ input_tokens: Type.Integer(), output_tokens: Type.Integer() }, PASS_THROUGH),
  },
  { ...PASS_THROUGH, $id: 'AnthropicMessage' },
);

export const CountTokensAnswer = Type.Object(
  { input_tokens: Type.Integer({ minimum: 0 }) },
  { ...PASS_THROUGH, $id: 'CountTokensAnswer' },
);

/** Anthropic's error envelope, as the Messages API routes answer every error (the tid and identifier added). */
export const AnthropicErrorEnvelope = Type.Object(
  {
    type: Type.Literal('error'),
    error: Type.Object(
      {
        type: Type.String({ description: 'Anthropic’s error type: invalid_request_error, authentication_error, …' }),
        message: Type.String({ description: 'The documented message, word for word' }),
        code: Type.Optional(Type.String({ description: 'The documented identifier, where the error has one' })),
        tid: Type.String({ description: 'The trace id support finds in the logs' }),
      },
      PASS_THROUGH,
    ),
  },
  { additionalProperties: false, $id: 'AnthropicErrorEnvelope' },
);
