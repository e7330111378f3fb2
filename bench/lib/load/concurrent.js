/**
 * Concurrency C for a fixed duration with autocannon, in-process (no worker threads: on a 2-core machine
 * extra load-generator threads would only take CPU from the target under test).
 *
 * autocannon's own latency histogram counts whole milliseconds; we also keep every 2xx response time it
 * reports through its `response` event (float ms from process.hrtime) to get µs-precision percentiles.
 * Errors = non-2xx answers + socket errors (connection refused/reset) + timeouts; the first few non-2xx
 * bodies are kept so a failure under load can be reported precisely.
 */
import autocannon from 'autocannon';

const KEPT_ERROR_SAMPLES = 3;

export async function runConcurrent(endpoint, body, { connections, durationS, timeoutS = 10 }) {
  const latenciesUs = [];
  const errorSamples = [];
  const socketErrors = {};
  const instance = autocannon({
    url: endpoint.origin,
    connections,
    pipelining: 1,
    duration: durationS,
    timeout: timeoutS,
    workers: 0,
    // One request shape per header variant (Tollgate with --tollgate-users N: one key per user); each
    // connection cycles through them, so the load is spread evenly over the keys.
    requests: (endpoint.headerVariants ?? [endpoint.headers]).map((headers) => ({
      method: 'POST',
      path: endpoint.path,
      headers: { 'content-type': 'application/json', ...headers },
      body,
      onResponse: (status, responseBody) => {
        if ((status < 200 || status >= 300) && errorSamples.length < KEPT_ERROR_SAMPLES) {
          errorSamples.push(`${status}: ${String(responseBody).slice(0, 500)}`);
        }
      },
    })),
  });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode >= 200 && statusCode < 300) latenciesUs.push(responseTimeMs * 1000);
  });
  instance.on('reqError', (error) => {
    const key = error?.code ?? error?.message ?? 'error';
    socketErrors[key] = (socketErrors[key] ?? 0) + 1;
  });
  const result = await instance;

  const ok = result['2xx'];
  return {
    durationS: result.duration,
    ok,
    rps: ok / result.duration,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    errorsTotal: result.non2xx + result.errors,
    statusCodes: result.statusCodeStats,
    socketErrorKinds: socketErrors,
    errorSamples,
    latenciesUs,
    // autocannon's own view, kept in the raw results (ms, integer resolution)
    autocannon: {
      requestsTotal: result.requests.total,
      requestsAverage: result.requests.average,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: result.latency.average,
      },
      throughputBytesAverage: result.throughput.average,
    },
  };
}
