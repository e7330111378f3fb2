/**
 * Payloads as OpenAI documents them (the API reference's examples for
 * `POST /v1/responses` and `POST /v1/chat/completions`, the function
 * calling guide's round trip), for the specs of this folder.
 */
import type { JsonObject } from '../../json.js';

export const WEATHER_TOOL = {
  type: 'function',
  name: 'get_current_weather',
  description: 'Get the current weather in a given location',
  parameters: {
    type: 'object',
    properties: {
      location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['location', 'unit'],
  },
};

export const REQUESTS = {
  text: { model: 'gpt-4.1', input: 'Tell me a three sentence bedtime story about a unicorn.' },
  image: {
    model: 'gpt-4.1',
    input: [
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'what is in this image?' },
          {
            type: 'input_image',
            image_url:
              'https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg',
          },
        ],
      },
    ],
  },
  functions: {
    model: 'gpt-4.1',
    input: 'What is the weather like in Boston today?',
    tools: [WEATHER_TOOL],
    tool_choice: 'auto',
  },
  reasoning: { model: 'o3-mini', input: 'How much wood would a woodchuck chuck?', reasoning: { effort: 'high' } },
  streaming: { model: 'gpt-4.1', instructions: 'You are a helpful assistant.', input: 'Hello!', stream: true },
  webSearch: {
    model: 'gpt-4.1',
    tools: [{ type: 'web_search_preview' }],
    input: 'What was a positive news story from today?',
  },
  fileSearch: {
    model: 'gpt-4.1',
    tools: [{ type: 'file_search', vector_store_ids: ['vs_1234567890'], max_num_results: 20 }],
    input: 'What are the attributes of an ancient brown dragon?',
  },
  /** The function calling guide's second turn: the call the model made, and its result. */
  functionResult: {
    model: 'gpt-4.1',
    input: [
      { role: 'user', content: "What's the weather like in Paris today?" },
      {
        type: 'function_call',
        id: 'fc_12345xyz',
        call_id: 'call_12345xyz',
        name: 'get_weather',
        arguments: '{"latitude":48.8566,"longitude":2.3522}',
      },
      { type: 'function_call_output', call_id: 'call_12345xyz', output: '14.2' },
    ],
  },
} satisfies Record<string, JsonObject>;

/** The API reference's Response object (`POST /v1/responses`, the text example's answer). */
export const DOCUMENTED_RESPONSE = {
  id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
  object: 'response',
  created_at: 1741476542,
  status: 'completed',
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  model: 'gpt-4.1-2025-04-14',
  output: [
    {
      type: 'message',
      id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b',
      status: 'completed',
      role: 'assistant',
      content: [
        {
          type: 'output_text',
          text: 'In a peaceful grove beneath a silver moon, a unicorn named Lumina discovered a hidden pool that reflected the stars.',
          annotations: [],
        },
      ],
    },
  ],
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: null, summary: null },
  store: true,
  temperature: 1.0,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  top_p: 1.0,
  truncation: 'disabled',
  usage: {
    input_tokens: 36,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 87,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 123,
  },
  user: null,
  metadata: {},
};

/** The chat completions reference's answer to its default example. */
export const CHAT_ANSWER = {
  id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4.1-2025-04-14',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello! How can I assist you today?', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 19,
    completion_tokens: 10,
    total_tokens: 29,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: 'default',
};

/** The chat completions reference's function-calling answer. */
export const CHAT_TOOL_ANSWER = {
  id: 'chatcmpl-abc123',
  object: 'chat.completion',
  created: 1699896916,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_abc123',
            type: 'function',
            function: { name: 'get_current_weather', arguments: '{\n"location": "Boston, MA"\n}' },
          },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 82,
    completion_tokens: 17,
    total_tokens: 99,
    completion_tokens_details: { reasoning_tokens: 0 },
  },
};

const chunk = (delta: JsonObject, finish: string | null = null): JsonObject => ({
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1694268190,
  model: 'gpt-4o-mini',
  system_fingerprint: 'fp_44709d6fcb',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
});

const usageChunk = (usage: JsonObject): JsonObject => ({
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1694268190,
  model: 'gpt-4o-mini',
  choices: [],
  usage,
});

/** The chat reference's streamed "Hello!" answer, with the usage chunk `stream_options.include_usage` adds. */
export const TEXT_CHUNKS: JsonObject[] = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ content: 'Hello' }),
  chunk({ content: '!' }),
  chunk({}, 'stop'),
  usageChunk({ prompt_tokens: 9, completion_tokens: 2, total_tokens: 11, prompt_tokens_details: { cached_tokens: 4 } }),
];

/** A streamed call, as chat streams one: the id and name first, the arguments in pieces. */
export const TOOL_CHUNKS: JsonObject[] = [
  chunk({
    role: 'assistant',
    content: null,
    tool_calls: [
      { index: 0, id: 'call_abc123', type: 'function', function: { name: 'get_current_weather', arguments: '' } },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Boston, MA"}' } }] }),
  chunk({}, 'tool_calls'),
  usageChunk({ prompt_tokens: 82, completion_tokens: 17, total_tokens: 99 }),
];
