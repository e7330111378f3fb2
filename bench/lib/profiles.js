/**
 * The three ways every target is driven. Each names the fake-provider instance that answers and the model
 * the client asks for. Model names differ per profile so that Tollgate can route them to different channels
 * (one per fake instance) and so that the fake's per-model defaults (`byModel`) can shape the streamed
 * answer the same way for every target: per-request `x-fake-*` headers do not pass through Portkey or
 * Tollgate, so they cannot be used for a fair comparison.
 */
export const PROFILES = {
  /** Upstream answers at once: the whole difference to direct calls is the gateway's own cost. */
  fast: { upstream: 'fake0', model: 'bench-0ms', label: '0 ms upstream' },
  /** Upstream answers after 50 ms: at concurrency, queuing inside a gateway shows. */
  slow: { upstream: 'fake50', model: 'bench-50ms', label: '50 ms upstream' },
  /** Upstream streams N content chunks (set with byModel on the 0 ms instance). */
  stream: { upstream: 'fake0', model: 'bench-stream', label: 'streaming' },
};

/** The same non-streaming chat body for every target (only the model differs per profile). */
export function chatBody(profile) {
  return JSON.stringify({
    model: PROFILES[profile].model,
    messages: [{ role: 'user', content: 'Say hello' }],
    max_tokens: 16,
  });
}

/**
 * The streaming body. max_tokens must not cut the answer: the fake stops at max_tokens words, so it is
 * set just above the number of chunks asked for.
 */
export function streamBody(chunks) {
  return JSON.stringify({
    model: PROFILES.stream.model,
    messages: [{ role: 'user', content: 'Say hello' }],
    max_tokens: chunks + 16,
    stream: true,
  });
}

/**
 * The client dialects (issue 14), measured on Tollgate and on direct calls only: each dialect is sent once
 * to a channel that speaks it (the client's bytes pass through) and once to a channel of the other type
 * (translated to and from chat form by the edge). Direct calls send each upstream the body Tollgate sends
 * it, so "added over direct" is the gateway's own cost on both routes and their difference is the cost of
 * translation. `store: false` keeps the native Responses route from writing a stored-response record the
 * translated route never writes.
 */
export const DIALECT_PROFILES = {
  'responses-native': {
    dialect: 'responses',
    route: 'native',
    channelType: 'openai',
    model: 'bench-responses-native',
    label: 'Responses API on an openai channel (pass-through)',
    upstreamPath: '/v1/responses',
    upstreamDialect: 'responses',
  },
  'responses-translated': {
    dialect: 'responses',
    route: 'translated',
    channelType: 'anthropic',
    model: 'bench-responses-translated',
    label: 'Responses API on an anthropic channel (translated)',
    upstreamPath: '/v1/messages',
    upstreamDialect: 'messages',
  },
  'messages-native': {
    dialect: 'messages',
    route: 'native',
    channelType: 'anthropic',
    model: 'bench-messages-native',
    label: 'Messages API on an anthropic channel (pass-through)',
    upstreamPath: '/v1/messages',
    upstreamDialect: 'messages',
  },
  'messages-translated': {
    dialect: 'messages',
    route: 'translated',
    channelType: 'openai',
    model: 'bench-messages-translated',
    label: 'Messages API on an openai channel (translated)',
    upstreamPath: '/v1/chat/completions',
    upstreamDialect: 'chat',
  },
};

/** The client dialects, in the order the bench runs them. */
export const DIALECTS = ['responses', 'messages'];

export const DIALECT_PATHS = { responses: '/v1/responses', messages: '/v1/messages', chat: '/v1/chat/completions' };

/** The same short question in each dialect's own shape (a 16-token answer, as chatBody). */
export function dialectBody(dialect, model) {
  if (dialect === 'responses')
    return JSON.stringify({ model, input: 'Say hello', max_output_tokens: 16, store: false });
  if (dialect === 'messages') {
    return JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content: 'Say hello' }] });
  }
  return JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 16 });
}

/** Headers each dialect's official SDK sends (Anthropic's wants its version header and x-api-key). */
export function dialectHeaders(dialect, key) {
  if (dialect === 'messages') return { 'x-api-key': key, 'anthropic-version': '2023-06-01' };
  return { authorization: `Bearer ${key}` };
}
