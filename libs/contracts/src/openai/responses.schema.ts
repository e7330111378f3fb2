import { Type, type Static } from '@tollgate/typebox';
import { Omittable, PASS_THROUGH, RequestedModel } from './request-fields.js';

const InputItem = Type.Object(
  {},
  {
    ...PASS_THROUGH,
    description: 'A message (role, content), a function_call, a function_call_output, a reasoning item, …',
  },
);

export const ResponsesRequest = Type.Object(
  {
    model: RequestedModel(),
    input: Omittable(
      Type.Union([Type.String(), Type.Array(InputItem)], {
        errorMessage: '{param} must be a string or an array of input items',
      }),
      { description: 'A user message, or the conversation as input items; its text is counted for the hold' },
    ),
    instructions: Omittable(Type.String(), { description: 'A system message put before the input' }),
    stream: Omittable(Type.Boolean(), { description: 'Answer as server-sent Responses events' }),
    max_output_tokens: Omittable(Type.Integer({ minimum: 1 }), {
      description: 'Most tokens to generate, reasoning included; the hold is sized by it',
    }),
    tools: Omittable(Type.Array(Type.Unknown()), {
      description: 'Function tools (any channel), or built-in tools (only channels serving the Responses API natively)',
    }),
    tool_choice: Omittable(
      Type.Union([Type.String(), Type.Object({}, PASS_THROUGH)], {
        errorMessage: '{param} must be a string or an object',
      }),
    ),
    text: Omittable(Type.Object({}, PASS_THROUGH), { description: 'The output format (`format`) and `verbosity`' }),
    reasoning: Omittable(Type.Object({}, PASS_THROUGH), { description: 'The reasoning `effort` and `summary`' }),
    temperature: Omittable(Type.Number()),
    top_p: Omittable(Type.Number()),
    metadata: Omittable(Type.Object({}, PASS_THROUGH)),
    previous_response_id: Omittable(Type.String(), {
      description: 'Continues a response stored through the gateway: served by the channel that stored it',
    }),
    store: Omittable(Type.Boolean(), {
      description: 'Whether the upstream stores the response (its default: true); only native channels store',
    }),
  },
  {
    ...PASS_THROUGH,
    $id: 'ResponsesRequest',
    description:
      "POST /v1/responses, OpenAI's Responses API. Only the fields the gateway reads are declared; every other field is passed to a native upstream as sent, or translated for another.",
  },
);
export type ResponsesRequest = Static<typeof ResponsesRequest>;

export const ResponseObject = Type.Object(
  {
    id: Type.String({ description: '`resp_…`' }),
    object: Type.Literal('response'),
    created_at: Type.Integer({ description: 'Unix seconds' }),
    status: Type.String({ description: 'completed, incomplete, failed, in_progress, …' }),
    model: Type.String(),
    output: Type.Array(Type.Object({ type: Type.String() }, PASS_THROUGH), {
      description: 'Output items: message, function_call, reasoning, built-in tool calls…',
    }),
    usage: Type.Union([
      Type.Object(
        {
          input_tokens: Type.Integer(),
          output_tokens: Type.Integer(),
          total_tokens: Type.Integer(),
        },
        PASS_THROUGH,
      ),
      Type.Null(),
    ]),
  },
  {
    ...PASS_THROUGH,
    $id: 'ResponseObject',
    description: "A Response, as OpenAI's Responses API answers (or as the gateway translates a chat answer into one)",
  },
);
export type ResponseObject = Static<typeof ResponseObject>;
