import { Counter, Histogram, register } from 'prom-client';

/**
 * Every NATS message a service handles, counted where each one is logged
 * (runLogged): by subject (a fixed set, declared in the contracts) and
 * outcome (`ok`, a denial reason, `failed`, `invalid_message` — all bounded).
 * The duration histogram is the handler's own time: for
 * `tollgate.billing.reserve` it is the reserve latency ops watch.
 */
export const natsMessages = new Counter({
  name: 'tollgate_nats_messages_total',
  help: 'NATS messages handled, by subject and outcome (ok, the denial reason, failed, invalid_message)',
  labelNames: ['subject', 'outcome'] as const,
  registers: [register],
});

export const natsMessageDuration = new Histogram({
  name: 'tollgate_nats_message_duration_seconds',
  help: 'Time a handler took to answer a NATS message, by subject',
  labelNames: ['subject'] as const,
  buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers: [register],
});
