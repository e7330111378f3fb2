/**
 * The baseline: the client calls the fake provider itself. Every other target's "added latency" is its
 * figure minus this one's, measured in the same round (see run.js).
 */
import { PROFILES } from '../profiles.js';

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
    // Nothing of its own to measure: the fake provider is tracked as the shared upstream.
    processGroups: () => [],
    isAlive: () => true,
    stop: async () => {},
  };
}
