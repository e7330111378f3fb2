/**
 * Concurrency 1: one request at a time over one kept-alive connection, timed with the monotonic
 * nanosecond clock. autocannon's histogram has a 1 ms resolution, far too coarse for a gateway whose
 * target is "≤ 1.5 ms added": this loop resolves microseconds, so an added 0.3 ms is a figure, not a
 * rounding artefact.
 *
 * A request is timed from just before it is written until its body has been read completely (what a
 * client waits for). Only 2xx answers are timed; anything else counts as an error, with the first few
 * bodies kept so a failing target is diagnosable.
 */
import process from 'node:process';
import { Pool } from 'undici';

const REQUEST_TIMEOUT_MS = 30_000;
export const KEPT_ERROR_SAMPLES = 3;

/** One undici pool per endpoint: connections: 1 makes "sequential" mean one socket, like a simple client. */
export function sequentialClient(endpoint) {
  const pool = new Pool(endpoint.origin, {
    connections: 1,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  const headers = { 'content-type': 'application/json', ...endpoint.headers };
  return {
    /** Sends `count` requests one after the other; `maxSeconds` bounds a run against a very slow target. */
    async run(body, count, { maxSeconds = 300 } = {}) {
      const latenciesUs = [];
      const errors = { count: 0, statuses: {}, samples: [] };
      const deadline = process.hrtime.bigint() + BigInt(Math.round(maxSeconds * 1e9));
      for (let i = 0; i < count; i++) {
        const started = process.hrtime.bigint();
        if (started > deadline) {
          errors.truncated = `stopped after ${i} of ${count} requests (${maxSeconds} s limit)`;
          break;
        }
        // Tollgate's endpoints carry a tally of every request and answer (exactness.js): counted on the
        // status, as billing sees it, before the body is read.
        endpoint.tally?.request();
        let answered = false;
        try {
          const res = await pool.request({ method: 'POST', path: endpoint.path, headers, body });
          endpoint.tally?.answer(res.statusCode, res.headers['x-tid']);
          answered = true;
          const text = await res.body.text();
          const elapsedUs = Number(process.hrtime.bigint() - started) / 1000;
          if (res.statusCode >= 200 && res.statusCode < 300) {
            latenciesUs.push(elapsedUs);
          } else {
            recordError(errors, String(res.statusCode), text);
          }
        } catch (error) {
          if (!answered) endpoint.tally?.failure(error?.code ?? 'socket error');
          recordError(errors, error?.code ?? 'socket error', error?.message ?? String(error));
        }
      }
      return { latenciesUs, errors };
    },
    close: () => pool.close(),
  };
}

export function recordError(errors, key, detail) {
  errors.count++;
  errors.statuses[key] = (errors.statuses[key] ?? 0) + 1;
  if (errors.samples.length < KEPT_ERROR_SAMPLES) errors.samples.push(`${key}: ${String(detail).slice(0, 500)}`);
}
