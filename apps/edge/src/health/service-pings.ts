import { AuthSubjects, BillingSubjects, RouterSubjects } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import type { ReadinessCheck } from '@tollgate/ops';

const PING_TIMEOUT_MS = 1000;

/**
 * A ping to each service behind the edge, answered by any one replica of it
 * (its queue group): what /healthz reports and what the edge's /readyz
 * requires, since the edge can serve nothing while one of them is gone.
 */
export function servicePings(bus: NatsBus): ReadinessCheck[] {
  return [
    { name: 'auth', check: () => bus.request(AuthSubjects.ping, {}, PING_TIMEOUT_MS) },
    { name: 'router', check: () => bus.request(RouterSubjects.ping, {}, PING_TIMEOUT_MS) },
    { name: 'billing', check: () => bus.request(BillingSubjects.ping, {}, PING_TIMEOUT_MS) },
  ];
}
