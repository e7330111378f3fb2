/**
 * Messages API requests as Anthropic's documentation shows them (long
 * texts and base64 data shortened), for the dialect's specs. Sources, under
 * https://platform.claude.com/docs/en/: `api/messages` (the basic request),
 * `build-with-claude/vision` (images), `build-with-claude/pdf-support`
 * (documents), `agents-and-tools/tool-use/implement-tool-use` (tools,
 * results, errors, parallel calls), `build-with-claude/prompt-caching`
 * (system blocks with cache_control), `build-with-claude/extended-thinking`
 * (thinking), and OpenAI's chat-completions reference for the chat side.
 */

export const BASIC_REQUEST = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello, world' }],
};

export const IMAGE_REQUEST = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [
    {
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
        {
          type: 'image',
          source: {
            type: 'url',
            url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
          },
        },
        { type: 'text', text: 'Describe these images.' },
      ],
    },
  ],
};

export const PDF_REQUEST = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [
    {
      role: 'user',
      content: [
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjcK' } },
        { type: 'text', text: 'What are the key findings in this document?' },
      ],
    },
  ],
};

export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Get the current weather in a given location',
  input_schema: {
    type: 'object',
    properties: { location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' } },
    required: ['location'],
  },
};

/** The tool-use guide's round trip: the call, then its result (and one that failed) with the user's next words. */
export const TOOL_RESULT_REQUEST = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  tools: [WEATHER_TOOL],
  messages: [
    { role: 'user', content: "What's the weather like in San Francisco and New York?" },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: "I'll check the weather in both cities." },
        {
          type: 'tool_use',
          id: 'toolu_01A09q90qw90lq917835lq9',
          name: 'get_weather',
          input: { location: 'San Francisco, CA' },
        },
        {
          type: 'tool_use',
          id: 'toolu_01B19q90qw90lq917835lq8',
          name: 'get_weather',
          input: { location: 'New York, NY' },
        },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees' },
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01B19q90qw90lq917835lq8',
          content: 'ConnectionError: the weather service API is not available (HTTP 500)',
          is_error: true,
        },
        { type: 'text', text: 'What should I wear?' },
      ],
    },
  ],
};

/** The prompt-caching guide's system prompt: an instruction, then a long text marked for caching. */
export const CACHED_SYSTEM_REQUEST = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [
    { type: 'text', text: 'You are an AI assistant tasked with analyzing literary works.' },
    { type: 'text', text: '<the entire contents of Pride and Prejudice>', cache_control: { type: 'ephemeral' } },
  ],
  messages: [{ role: 'user', content: 'Analyze the major themes in Pride and Prejudice.' }],
};

/** The extended-thinking guide's request, and a history whose assistant turn carries its thinking. */
export const THINKING_REQUEST = {
  model: 'claude-sonnet-4-5',
  max_tokens: 16000,
  thinking: { type: 'enabled', budget_tokens: 10000 },
  messages: [
    { role: 'user', content: 'Are there an infinite number of prime numbers such that n mod 4 == 3?' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Let me analyze this step by step...', signature: 'WaUjzkypQ2mUEVM36O2Txu…' },
        { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT…' },
        { type: 'text', text: 'Yes, there are infinitely many such primes.' },
      ],
    },
    { role: 'user', content: 'Can you prove it?' },
  ],
};

/** A chat completion with text and one call, as OpenAI's reference shows it (with cached prompt tokens). */
export const CHAT_TOOL_ANSWER = {
  id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
  object: 'chat.completion',
  created: 1741570283,
  model: 'gpt-4.1-2025-04-14',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: "I'll check the current weather in Boston.",
        tool_calls: [
          {
            id: 'call_abc123',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Boston, MA"}' },
          },
        ],
        refusal: null,
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 1117,
    completion_tokens: 46,
    total_tokens: 1163,
    prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  },
};
