/**
 * The measured phases. Each phase runs one "slice" per round per target (run.js interleaves them); a slice
 * returns raw samples that aggregate.js pools over the rounds.
 */
import { DIALECT_PROFILES, DIALECTS, chatBody, streamBody } from './profiles.js';
import { KEPT_ERROR_SAMPLES, sequentialClient } from './load/sequential.js';
import { runConcurrent } from './load/concurrent.js';
import { streamingClient } from './load/streaming.js';

/** Splits a per-target total over the rounds (the last rounds get the remainder). */
const share = (total, rounds, round) => Math.floor(total / rounds) + (round < total % rounds ? 1 : 0);

export function definePhases(options) {
  const phases = [
    {
      id: 'c1',
      title: 'Concurrency 1, 0 ms upstream',
      profile: 'fast',
      enabled: options.seqRequests > 0,
      async run(endpoint, round) {
        const client = sequentialClient(endpoint);
        try {
          const body = chatBody('fast');
          // Re-opens the kept-alive connection and re-warms the path after the other targets' slices.
          await client.run(body, options.sliceWarmupRequests);
          const { latenciesUs, errors } = await client.run(body, share(options.seqRequests, options.rounds, round));
          return { latenciesUs, errors, requests: latenciesUs.length + errors.count };
        } finally {
          await client.close();
        }
      },
    },
    {
      id: 'c64',
      title: `Concurrency ${options.connections}, 0 ms upstream`,
      profile: 'fast',
      enabled: options.durationS > 0,
      async run(endpoint) {
        const result = await runConcurrent(endpoint, chatBody('fast'), {
          connections: options.connections,
          durationS: options.durationS / options.rounds,
        });
        return { ...result, requests: result.ok + result.afterDeadline.ok + result.errorsTotal };
      },
    },
    {
      id: 'c64slow',
      title: `Concurrency ${options.connections}, 50 ms upstream`,
      profile: 'slow',
      enabled: options.durationS > 0 && options.with50ms,
      async run(endpoint) {
        const result = await runConcurrent(endpoint, chatBody('slow'), {
          connections: options.connections,
          durationS: options.durationS / options.rounds,
        });
        return { ...result, requests: result.ok + result.afterDeadline.ok + result.errorsTotal };
      },
    },
    {
      id: 'stream',
      title: `Streaming, ${options.streamChunks} chunks, concurrency 1`,
      profile: 'stream',
      enabled: options.streamRequests > 0,
      async run(endpoint, round) {
        const client = streamingClient(endpoint);
        try {
          const body = streamBody(options.streamChunks);
          await client.run(body, Math.min(options.sliceWarmupRequests, 20), options.streamChunks);
          const count = share(options.streamRequests, options.rounds, round);
          const result = await client.run(body, count, options.streamChunks);
          return { ...result, requests: result.ttfcUs.length + result.errors.count };
        } finally {
          await client.close();
        }
      },
    },
    // One concurrency-1 phase per client dialect, only for targets that can serve it (Tollgate, and direct
    // calls to the upstream endpoint each route reaches). Requests alternate between the pass-through and
    // the translated route, each on its own kept-alive connection: this machine's latency drifts by
    // milliseconds between slices, far more than the 0.2 ms the translation target is about, and
    // alternating puts the same drift on both routes.
    ...DIALECTS.map((dialect) => ({
      id: dialect,
      title: `Concurrency 1, the ${dialect === 'responses' ? 'Responses' : 'Messages'} API, pass-through and translated alternating`,
      profile: `${dialect}-native`,
      dialect,
      enabled: options.dialectRequests > 0,
      endpointOf: (target) => dialectEndpoints(target, dialect),
      async run(endpoints, round) {
        const clients = endpoints.map((endpoint) => ({ endpoint, client: sequentialClient(endpoint) }));
        try {
          for (const { endpoint, client } of clients) await client.run(endpoint.body, options.sliceWarmupRequests);
          const routes = Object.fromEntries(
            clients.map(({ endpoint }) => [endpoint.route, { latenciesUs: [], errors: emptyErrors() }]),
          );
          const count = share(options.dialectRequests, options.rounds, round);
          for (let i = 0; i < count; i++) {
            for (const { endpoint, client } of clients) {
              const one = await client.run(endpoint.body, 1);
              const route = routes[endpoint.route];
              route.latenciesUs.push(...one.latenciesUs);
              mergeErrors(route.errors, one.errors);
            }
          }
          const requests = Object.values(routes).reduce((n, r) => n + r.latenciesUs.length + r.errors.count, 0);
          return { routes, requests };
        } finally {
          await Promise.all(clients.map(({ client }) => client.close()));
        }
      },
    })),
  ];
  for (const phase of phases) phase.endpointOf ??= (target) => target.endpoint(phase.profile);
  return phases.filter((phase) => phase.enabled);
}

/** A dialect's two routes on this target, or null when the target cannot serve them (nginx, Portkey). */
export function dialectEndpoints(target, dialect) {
  if (!target.dialectEndpoint) return null;
  return Object.entries(DIALECT_PROFILES)
    .filter(([, profile]) => profile.dialect === dialect)
    .map(([id]) => ({ ...target.dialectEndpoint(id), route: id }));
}

const emptyErrors = () => ({ count: 0, statuses: {}, samples: [] });

function mergeErrors(into, from) {
  into.count += from.count;
  for (const [key, n] of Object.entries(from.statuses)) into.statuses[key] = (into.statuses[key] ?? 0) + n;
  for (const sample of from.samples) if (into.samples.length < KEPT_ERROR_SAMPLES) into.samples.push(sample);
}

/**
 * Once per target before any measurement: JIT compilation, connection pools (the gateway's to the
 * upstream, at the concurrency used later), caches (keys, channels, prices) — none of it should be
 * measured in the first target's first slice only.
 */
export async function warmUp(target, options) {
  const seq = sequentialClient(target.endpoint('fast'));
  try {
    await seq.run(chatBody('fast'), options.warmupRequests);
  } finally {
    await seq.close();
  }
  await runConcurrent(target.endpoint('fast'), chatBody('fast'), {
    connections: options.connections,
    durationS: options.warmupDurationS,
  });
  if (options.with50ms) {
    await runConcurrent(target.endpoint('slow'), chatBody('slow'), {
      connections: options.connections,
      durationS: Math.min(1, options.warmupDurationS),
    });
  }
  const stream = streamingClient(target.endpoint('stream'));
  try {
    await stream.run(streamBody(options.streamChunks), 20, options.streamChunks);
  } finally {
    await stream.close();
  }
  if (options.dialectRequests > 0) {
    for (const endpoint of DIALECTS.flatMap((dialect) => dialectEndpoints(target, dialect) ?? [])) {
      const client = sequentialClient(endpoint);
      try {
        await client.run(endpoint.body, Math.min(options.warmupRequests, 100));
      } finally {
        await client.close();
      }
    }
  }
}
