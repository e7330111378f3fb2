import { Type, type Static, type TProperties } from '@tollgate/typebox';
import { Nullable } from '../schema/fields.js';
import { PASS_THROUGH, RequestedModel } from './request-fields.js';

/*
 * Anthropic's Messages API (`POST /v1/messages`, `POST /v1/messages/count_tokens`),
 * which Claude Code and the Anthropic SDKs speak. As for the OpenAI bodies,
 * only the fields the gateway reads are declared and every other field
 * passes through (a native channel gets the client's bytes; the dialect's
 * translation names what it cannot carry). Anthropic sends no `null` for an
 * unset field and refuses one, so an optional field here is absent or of
 * its type.
 */

const ContentBlock = Type.Object(
  { type: Type.String({ description: 'text, image, document, tool_use, tool_result, thinking, …' }) },
  { ...PASS_THROUGH, errorMessage: 'each content block must be an object with a type' },
);

const MessageContent = Type.Union([Type.String(), Type.Array(ContentBlock)], {
  errorMessage: '{param} must be a string or an array of content blocks',
});

const Message = Type.Object(
  {
    role: Type.Union([Type.Literal('user'), Type.Literal('assistant')]),
    content: MessageContent,
  },
  {
    ...PASS_THROUGH,
    description: 'One turn of the conversation; its content is counted for the hold',
    errorMessage: 'each message must be an object with a role (user or assistant) and content',
  },
);

const Tool = Type.Object(
  { name: Type.String({ minLength: 1 }) },
  {
    ...PASS_THROUGH,
    description: "A client tool ({ name, description, input_schema }) or one of Anthropic's own (with a type)",
    errorMessage: 'each tool must be an object with a name',
  },
);

/** The fields a Messages request and a count_tokens request share. */
const conversationFields = {
  model: RequestedModel(),
  messages: Type.Array(Message, {
    minItems: 1,
    errorParam: 'list',
    errorMessage: '{param} must be a non-empty array',
  }),
  system: Type.Optional(
    Type.Union([Type.String(), Type.Array(ContentBlock)], {
      description: 'The system prompt: a string or text blocks (with cache_control, if caching)',
      errorMessage: '{param} must be a string or an array of text blocks',
    }),
  ),
  tools: Type.Optional(Type.Array(Tool)),
  tool_choice: Type.Optional(
    Type.Object(
      { type: Type.Union([Type.Literal('auto'), Type.Literal('any'), Type.Literal('tool'), Type.Literal('none')]) },
      { ...PASS_THROUGH, description: '{ type: auto | any | tool | none, name?, disable_parallel_tool_use? }' },
    ),
  ),
  thinking: Type.Optional(
    Type.Object(
      { type: Type.String({ description: 'enabled (with budget_tokens), disabled or adaptive' }) },
      PASS_THROUGH,
    ),
  ),
} satisfies TProperties;

export const MessagesRequest = Type.Object(
  {
    ...conversationFields,
    max_tokens: Type.Integer({
      minimum: 1,
      description: 'Most tokens to generate (thinking included); Anthropic requires it, and the hold is sized by it',
    }),
    stream: Type.Optional(Type.Boolean({ description: "Answer as Anthropic's server-sent events" })),
    stop_sequences: Type.Optional(Type.Array(Type.String())),
    temperature: Type.Optional(Type.Number()),
    top_p: Type.Optional(Type.Number()),
    top_k: Type.Optional(Type.Integer()),
    metadata: Type.Optional(
      Type.Object(
        { user_id: Type.Optional(Nullable(Type.String())) },
        { ...PASS_THROUGH, description: 'The end user' },
      ),
    ),
  },
  {
    ...PASS_THROUGH,
    $id: 'MessagesRequest',
    description:
      "POST /v1/messages, Anthropic's Messages API. Only the fields the gateway reads are declared; every other field is passed on as sent.",
  },
);
export type MessagesRequest = Static<typeof MessagesRequest>;

export const CountTokensRequest = Type.Object(conversationFields, {
  ...PASS_THROUGH,
  $id: 'CountTokensRequest',
  description: 'POST /v1/messages/count_tokens: the prompt of a Messages request, counted without generating.',
});
export type CountTokensRequest = Static<typeof CountTokensRequest>;

const open = { additionalProperties: true } as const;

/** Anthropic's usage object: input_tokens leaves out the tokens read from and written to the prompt cache. */
const AnthropicUsage = Type.Object(
  {
    input_tokens: Type.Integer(),
    output_tokens: Type.Integer(),
    cache_creation_input_tokens: Type.Optional(Nullable(Type.Integer())),
    cache_read_input_tokens: Type.Optional(Nullable(Type.Integer())),
  },
  open,
);

export const AnthropicMessage = Type.Object(
  {
    id: Type.String({ description: 'msg_…' }),
    type: Type.Literal('message'),
    role: Type.Literal('assistant'),
    model: Type.String(),
    content: Type.Array(Type.Object({ type: Type.String({ description: 'text, tool_use, thinking, …' }) }, open)),
    stop_reason: Nullable(
      Type.String({ description: 'end_turn, max_tokens, stop_sequence, tool_use, pause_turn or refusal' }),
    ),
    stop_sequence: Nullable(Type.String()),
    usage: AnthropicUsage,
  },
  {
    ...open,
    $id: 'AnthropicMessage',
    description:
      "The answer as a Message object; with stream: true, Anthropic's server-sent events (message_start … message_stop)",
  },
);

export const CountTokensAnswer = Type.Object(
  { input_tokens: Type.Integer({ minimum: 0 }) },
  { ...open, $id: 'CountTokensAnswer', description: 'The tokens the prompt would count as input' },
);

export const AnthropicErrorEnvelope = Type.Object(
  {
    type: Type.Literal('error'),
    error: Type.Object(
      {
        type: Type.String({ description: 'invalid_request_error, authentication_error, rate_limit_error, …' }),
        message: Type.String({ description: 'The documented message, word for word' }),
        code: Type.Optional(Type.String({ description: 'The documented identifier, where the error has one' })),
        tid: Type.Optional(Type.String({ description: "The gateway's trace id, as in every error body" })),
      },
      open,
    ),
  },
  { ...open, $id: 'AnthropicErrorEnvelope', description: "An error in Anthropic's envelope" },
);
