/**
 * Anthropic's payloads as its documentation shows them (ids, signatures and
 * long texts shortened), for the adapter's specs. Sources, under
 * https://platform.claude.com/docs/en/: `api/messages` (the Message object),
 * `build-with-claude/tool-use` (tool_use answers), `build-with-claude/prompt-caching`
 * (cache usage), `build-with-claude/extended-thinking` (thinking blocks),
 * `build-with-claude/streaming` (the event streams), `api/errors` (error
 * bodies) and `api/models-list` (the model list).
 */

/** The Message object of the Messages API reference. */
export const TEXT_MESSAGE = {
  id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 2095, output_tokens: 503 },
};

/** A tool call, from the tool-use guide: text first, then the tool_use block. */
export const TOOL_USE_MESSAGE = {
  id: 'msg_01Aq9w938a90dw8q',
  type: 'message',
  role: 'assistant',
  model: 'claude-opus-4-6',
  stop_reason: 'tool_use',
  stop_sequence: null,
  content: [
    { type: 'text', text: "I'll check the current weather in San Francisco for you." },
    {
      type: 'tool_use',
      id: 'toolu_01A09q90qw90lq917835lq9',
      name: 'get_weather',
      input: { location: 'San Francisco, CA', unit: 'celsius' },
    },
  ],
  usage: { input_tokens: 384, output_tokens: 93 },
};

/** The usage of a request that read most of its prompt from the cache and wrote some (prompt-caching guide). */
export const CACHED_USAGE = {
  input_tokens: 50,
  cache_read_input_tokens: 100000,
  cache_creation_input_tokens: 248,
  output_tokens: 503,
};

/** An answer with a thinking block before the text (extended-thinking guide). */
export const THINKING_MESSAGE = {
  id: 'msg_01ThinkingExample',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-6',
  content: [
    {
      type: 'thinking',
      thinking: 'Let me analyze this step by step...',
      signature: 'WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL…',
    },
    { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP…' },
    { type: 'text', text: 'Based on my analysis...' },
  ],
  stop_reason: 'max_tokens',
  stop_sequence: null,
  usage: { input_tokens: 120, output_tokens: 1600 },
};

/** The streaming guide's basic text stream, as the bytes arrive. */
export const TEXT_STREAM = `event: message_start
data: {"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-opus-4-6", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}

event: content_block_start
data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}

event: content_block_stop
data: {"type": "content_block_stop", "index": 0}

event: message_delta
data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}

event: message_stop
data: {"type": "message_stop"}

`;

/** The streaming guide's tool-use stream: a text block, then a tool_use block whose input arrives in pieces. */
export const TOOL_USE_STREAM = `event: message_start
data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-opus-4-6","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay, let's check the weather for San Francisco, CA:"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"San Francisc"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"o, CA\\", \\"unit\\": \\"fahrenheit\\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

event: message_stop
data: {"type":"message_stop"}

`;

/** The streaming guide's thinking stream: a thinking block (then its signature), then the text. */
export const THINKING_STREAM = `event: message_start
data: {"type": "message_start", "message": {"id": "msg_01ThinkingStream", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-6", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 60, "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 0, "output_tokens": 1}}}

event: content_block_start
data: {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "I need to find the GCD of 1071 and 462."}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds…"}}

event: content_block_stop
data: {"type": "content_block_stop", "index": 0}

event: content_block_start
data: {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "The GCD is 21."}}

event: content_block_stop
data: {"type": "content_block_stop", "index": 1}

event: message_delta
data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"input_tokens": 60, "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 0, "output_tokens": 240}}

event: message_stop
data: {"type": "message_stop"}

`;

/** The error event the streaming guide shows, mid-stream after a 200 (here after one text delta). */
export const OVERLOADED_STREAM = `event: message_start
data: {"type": "message_start", "message": {"id": "msg_01Overloaded", "type": "message", "role": "assistant", "content": [], "model": "claude-opus-4-6", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 12, "output_tokens": 1}}}

event: content_block_start
data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Once upon"}}

event: error
data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

`;

/** Error bodies in the shape of the errors page (`{ type: 'error', error: { type, message }, request_id }`). */
export const ERRORS = {
  overloaded: {
    type: 'error',
    error: { type: 'overloaded_error', message: 'Overloaded' },
    request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy',
  },
  invalidRequest: {
    type: 'error',
    error: { type: 'invalid_request_error', message: 'messages: roles must alternate between "user" and "assistant"' },
    request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy',
  },
  authentication: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
  billing: { type: 'error', error: { type: 'billing_error', message: 'Your credit balance is too low.' } },
  permission: {
    type: 'error',
    error: {
      type: 'permission_error',
      message: 'Your API key does not have permission to use the specified resource.',
    },
  },
  rateLimit: {
    type: 'error',
    error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' },
  },
  notFound: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-unknown' } },
};

/** The model list (models-list reference). */
export const MODEL_LIST = {
  data: [
    {
      type: 'model',
      id: 'claude-sonnet-4-5-20250929',
      display_name: 'Claude Sonnet 4.5',
      created_at: '2025-09-29T00:00:00Z',
    },
    {
      type: 'model',
      id: 'claude-haiku-4-5-20251001',
      display_name: 'Claude Haiku 4.5',
      created_at: '2025-10-01T00:00:00Z',
    },
  ],
  has_more: false,
  first_id: 'claude-sonnet-4-5-20250929',
  last_id: 'claude-haiku-4-5-20251001',
};
