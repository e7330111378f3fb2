/** Service names: also each service's NATS queue group, so replicas share the load. */
export const SERVICES = ['edge', 'auth', 'billing', 'router'] as const;
export type ServiceName = (typeof SERVICES)[number];
