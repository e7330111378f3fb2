import { SUITE_SERVICES } from './service-processes.js';

/**
 * The order Ctrl-C stops the launcher's processes in: stages stopped one
 * after the other, the processes of one stage at the same time.
 *
 * 1. The edge alone, so no new request starts while the rest go; it finishes
 *    the requests in flight and publishes their settlements before it exits.
 * 2. The other services (auth, router, billing), which those last requests
 *    no longer need.
 * 3. Everything else the launcher runs, the fake provider: it is the upstream
 *    of the edge's requests in flight, and stopping it first failed them with
 *    a 502.
 *
 * NATS and the embedded PostgreSQL are not processes of this list; the
 * launcher stops them after the last stage.
 */
export function stopStages<P extends { name: string }>(processes: readonly P[]): P[][] {
  const isService = (proc: P) => (SUITE_SERVICES as readonly string[]).includes(proc.name);
  const stages = [
    processes.filter((proc) => proc.name === 'edge'),
    processes.filter((proc) => isService(proc) && proc.name !== 'edge'),
    processes.filter((proc) => !isService(proc)),
  ];
  return stages.filter((stage) => stage.length > 0);
}
