import { collectDefaultMetrics, register, type Registry } from 'prom-client';

let started = false;

/**
 * The process's one metrics registry: prom-client's default one, as a process
 * runs one service, so metrics can be declared where their facts are known
 * (next to the code that counts them) without passing a registry around.
 * Every series carries `service`; Node's own metrics (CPU, memory, event-loop
 * lag, GC) are collected as `tollgate_process_*` and `tollgate_nodejs_*`.
 * Idempotent.
 */
export function serviceRegistry(service: string): Registry {
  if (!started) {
    started = true;
    register.setDefaultLabels({ service });
    collectDefaultMetrics({ register, prefix: 'tollgate_' });
  }
  return register;
}
