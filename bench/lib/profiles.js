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
