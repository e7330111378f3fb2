/**
 * Concurrency C for a fixed duration with autocannon, in-process (no worker threads: on a 2-core machine
 * extra load-generator threads would only take CPU from the target under test).
 *
 * autocannon's own latency histogram counts whole milliseconds; we also keep every 2xx response time it
 * reports through its `response` event (float ms from process.hrtime) to get µs-precision percentiles.
 * Errors = non-2xx answers + socket errors (connection refused/reset) + timeouts; the first few non-2xx
 * bodies are kept so a failure under load can be reported precisely.
 *
 * The run ends gracefully: autocannon itself stops by destroying its connections with their last requests
 * in flight — requests the target may well serve (and Tollgate charge) without the bench ever counting the
 * answer, which makes "charges = successes seen" unprovable (exactness.js). So at the deadline each
 * connection finishes the request it has in flight and sends no other, and the run ends when the last one
 * is answered. Throughput and latencies are those of the window (answers before the deadline, over its
 * length); the answers after it are counted apart (`afterDeadline`), and in the errors and requests.
 */
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import autocannon from 'autocannon';

const KEPT_ERROR_SAMPLES = 3;
/**
 * autocannon's sampling interval: the run's result comes at the first sample after the last connection
 * closed, so a short one keeps the wait after the drain (inside the slice's CPU window) short. Its per-sample
 * averages are scaled back to per second below.
 */
const SAMPLE_MS = 100;

export async function runConcurrent(endpoint, body, { connections, durationS, timeoutS = 10 }) {
  const tally = endpoint.tally;
  const latenciesUs = [];
  const errorSamples = [];
  const socketErrors = {};
  const clients = [];
  let ok = 0;
  const afterDeadline = { ok: 0, non2xx: 0 };
  let draining = false;
  // A client whose `responseMax` is reached closes instead of sending its next request (autocannon's
  // httpClient `_doRequest`): set once its in-flight request is answered, or failed and retried.
  const retire = (client) => {
    client.responseMax = 1;
  };
  const startedNs = process.hrtime.bigint();
  const deadlineNs = startedNs + BigInt(Math.round(durationS * 1e9));
  const instance = autocannon({
    url: endpoint.origin,
    connections,
    pipelining: 1,
    // The hard stop, reached only when a request hangs past the deadline (it then times out first).
    duration: durationS + timeoutS + 1,
    timeout: timeoutS,
    sampleInt: SAMPLE_MS,
    workers: 0,
    setupClient: (client) => {
      clients.push(client);
      if (draining) retire(client);
    },
    // One request shape per header variant (Tollgate with --tollgate-users N: one key per user); each
    // connection cycles through them, so the load is spread evenly over the keys.
    requests: (endpoint.headerVariants ?? [endpoint.headers]).map((headers) => ({
      method: 'POST',
      path: endpoint.path,
      headers: { 'content-type': 'application/json', ...headers },
      body,
      onResponse: (status, responseBody, _context, responseHeaders) => {
        tally?.answer(status, responseHeaders?.['x-tid']);
        if ((status < 200 || status >= 300) && errorSamples.length < KEPT_ERROR_SAMPLES) {
          errorSamples.push(`${status}: ${String(responseBody).slice(0, 500)}`);
        }
      },
    })),
  });
  const deadline = setTimeout(
    () => {
      draining = true;
      for (const client of clients) retire(client);
    },
    Math.round(durationS * 1000),
  );
  instance.on('response', (client, statusCode, _bytes, responseTimeMs) => {
    const success = statusCode >= 200 && statusCode < 300;
    // The timer may run late on a busy loop: the clock decides which side of the deadline an answer is.
    if (process.hrtime.bigint() < deadlineNs) {
      if (success) {
        ok++;
        latenciesUs.push(responseTimeMs * 1000);
      }
      return;
    }
    retire(client);
    if (success) afterDeadline.ok++;
    else afterDeadline.non2xx++;
  });
  instance.on('reqError', (error) => {
    const key = error?.code ?? error?.message ?? 'error';
    socketErrors[key] = (socketErrors[key] ?? 0) + 1;
    tally?.failure(key);
  });
  const result = await instance;
  clearTimeout(deadline);
  tally?.request(result.requests.sent);

  const perSecond = 1000 / SAMPLE_MS;
  return {
    durationS,
    ok,
    rps: ok / durationS,
    afterDeadline,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    errorsTotal: result.non2xx + result.errors,
    statusCodes: result.statusCodeStats,
    socketErrorKinds: socketErrors,
    errorSamples,
    latenciesUs,
    // autocannon's own view, kept in the raw results (ms, integer resolution; its duration includes the drain)
    autocannon: {
      durationS: result.duration,
      requestsSent: result.requests.sent,
      requestsTotal: result.requests.total,
      requestsAverage: result.requests.average * perSecond,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: result.latency.average,
      },
      throughputBytesAverage: result.throughput.average * perSecond,
    },
  };
}
