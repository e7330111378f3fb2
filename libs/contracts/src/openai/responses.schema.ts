import { Type, type Static } from '@tollgate/typebox';
import { Omittable, PASS_THROUGH, RequestedModel, SAMPLING_FIELDS } from './request-fields.js';

const InputItem = Type.Object(
  {},
  {
    ...PASS_THROUGH,
    description: 'A message (role, content), a function_call, a function_call_output or a reasoning item',
    errorMessage: 'each input item must be an object',
  },
);

const ResponseTool = Type.Object(
  { type: Type.String({ description: 'function, or a built-in tool (web_search, file_search, …)' }) },
  { ...PASS_THROUGH, errorMessage: 'each tool must be an object with a type' },
);

export const ResponsesRequest = Type.Object(
  {
    model: RequestedModel(),
    input: Type.Union([Type.String(), Type.Array(InputItem)], {
      errorMessage: '{param} must be a string or an array of input items',
    }),
    instructions: Omittable(Type.String(), { description: 'A system message put before the input' }),
    stream: Omittable(Type.Boolean(), { description: "Answer as the Responses API's server-sent events" }),
    max_output_tokens: Omittable(Type.Integer({ minimum: 1 }), {
      description: 'Most tokens to generate (reasoning included); the hold is sized by it',
    }),
    tools: Omittable(Type.Array(ResponseTool)),
    tool_choice: Omittable(Type.Union([Type.String(), Type.Object({}, PASS_THROUGH)])),
    text: Omittable(Type.Object({}, PASS_THROUGH), { description: 'text.format: text, json_object or json_schema' }),
    reasoning: Omittable(Type.Object({}, PASS_THROUGH)),
    metadata: Omittable(Type.Object({}, PASS_THROUGH)),
    previous_response_id: Omittable(Type.String({ minLength: 1 }), {
      description: 'Continues a stored response: served by the channel that stored it',
    }),
    store: Omittable(Type.Boolean(), { description: 'Whether the upstream keeps the response (default true)' }),
    temperature: SAMPLING_FIELDS.temperature,
    top_p: SAMPLING_FIELDS.top_p,
  },
  {
    ...PASS_THROUGH,
    $id: 'ResponsesRequest',
    description:
      'POST /v1/responses, as OpenAI documents it. Only the fields the gateway reads are declared; every other field is passed to a native upstream as sent.',
  },
);
export type ResponsesRequest = Static<typeof ResponsesRequest>;

/** A Response as the gateway vouches for it: the fields clients read; the rest pass as the upstream sent them. */
export const ResponseObject = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('response'),
    created_at: Type.Number(),
    status: Type.String(),
    model: Type.String(),
    output: Type.Array(Type.Object({ type: Type.String() }, PASS_THROUGH)),
    usage: Omittable(
      Type.Object(
        { input_tokens: Type.Integer(), output_tokens: Type.Integer(), total_tokens: Type.Integer() },
        PASS_THROUGH,
      ),
    ),
  },
  { ...PASS_THROUGH, $id: 'Response' },
);
