/**
 * The measured phases. Each phase runs one "slice" per round per target (run.js interleaves them); a slice
 * returns raw samples that aggregate.js pools over the rounds.
 */
import { chatBody, streamBody } from './profiles.js';
import { sequentialClient } from './load/sequential.js';
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
        return { ...result, requests: result.ok + result.errorsTotal };
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
        return { ...result, requests: result.ok + result.errorsTotal };
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
  ];
  return phases.filter((phase) => phase.enabled);
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
}
