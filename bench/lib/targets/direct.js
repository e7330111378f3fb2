/**
 * The baseline: the client calls the fake provider itself. Every other target's "added latency" is its
 * figure minus this one's, measured in the same round (see run.js).
 */
import { DIALECT_PROFILES, PROFILES, dialectBody, dialectHeaders } from '../profiles.js';

export async function startDirect({ upstreams }) {
  return {
    name: 'direct',
    version: 'fake provider (tools/fake-provider)',
    endpoint(profile) {
      return {
        origin: upstreams[PROFILES[profile].upstream].url,
        path: '/v1/chat/completions',
        headers: { authorization: 'Bearer sk-fake' },
      };
    },
    /** The upstream endpoint Tollgate reaches on this route, with the body Tollgate sends there. */
    dialectEndpoint(id) {
      const profile = DIALECT_PROFILES[id];
      return {
        origin: upstreams.fake0.url,
        path: profile.upstreamPath,
        headers: dialectHeaders(profile.upstreamDialect, 'sk-fake'),
        body: dialectBody(profile.upstreamDialect, profile.model),
      };
    },
    // Nothing of its own to measure: the fake provider is tracked as the shared upstream.
    processGroups: () => [],
    isAlive: () => true,
    stop: async () => {},
  };
}
