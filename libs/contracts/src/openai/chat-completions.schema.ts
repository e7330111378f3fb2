import { Type, type Static } from '@tollgate/typebox';
import { LIMITS } from '../schema/fields.js';
import {
  ChoiceCount,
  Omittable,
  PASS_THROUGH,
  RequestedModel,
  SAMPLING_FIELDS,
  STREAM_FIELDS,
} from './request-fields.js';

const ChatMessage = Type.Object(
  { role: Type.String({ description: 'system, developer, user, assistant, tool, …' }) },
  {
    ...PASS_THROUGH,
    description: 'One message of the conversation; its content is counted for the hold',
    errorMessage: 'each message must be an object with a role',
  },
);

export const ChatCompletionRequest = Type.Object(
  {
    model: RequestedModel(),
    messages: Type.Array(ChatMessage, {
      minItems: 1,
      errorParam: 'list',
      errorMessage: '{param} must be a non-empty array',
    }),
    max_tokens: Omittable(Type.Integer({ minimum: 1 }), {
      description: 'Most tokens to generate per choice (OpenAI now prefers max_completion_tokens)',
    }),
    max_completion_tokens: Omittable(Type.Integer({ minimum: 1 }), {
      description: 'Most tokens to generate per choice; the hold is sized by it',
    }),
    n: Omittable(ChoiceCount({ maximum: LIMITS.choices }), { description: 'Choices to generate' }),
    ...STREAM_FIELDS,
    ...SAMPLING_FIELDS,
    tools: Omittable(Type.Array(Type.Unknown())),
  },
  {
    ...PASS_THROUGH,
    $id: 'ChatCompletionRequest',
    description:
      'POST /v1/chat/completions, as OpenAI documents it. Only the fields the gateway reads are declared; every other field is passed to the upstream as sent.',
  },
);
export type ChatCompletionRequest = Static<typeof ChatCompletionRequest>;
