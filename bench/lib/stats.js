/**
 * Percentiles over raw samples. Samples from all rounds are pooled before percentiles are taken (rather than
 * averaging per-round percentiles), so p99 over 2,000 requests really is the 20th-slowest request.
 * Latencies are kept in microseconds (Float64Array-friendly numbers) and shown in ms with 3 decimals.
 */

/** Nearest-rank percentile of an ascending-sorted array; `p` in 0..100. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return { n: 0, min: null, p50: null, p90: null, p99: null, p999: null, max: null, mean: null };
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    n,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted[n - 1],
    mean: sum / n,
  };
}

/** a − b when both are known; used for "added latency over direct". */
export const minus = (a, b) => (a === null || a === undefined || b === null || b === undefined ? null : a - b);

/** a / b when both are known and b is not 0. */
export const ratio = (a, b) => (a === null || a === undefined || !b ? null : a / b);

export const round = (value, digits = 3) =>
  value === null || value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits;
