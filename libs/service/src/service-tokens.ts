/** Injection tokens every Tollgate service shares; each app's tokens.ts re-exports them. */
export const LOGGER = Symbol('LOGGER');
export const NATS_BUS = Symbol('NATS_BUS');
export const SERVICE_DATABASE = Symbol('SERVICE_DATABASE');
/** Optional: the app's own readiness checks (ReadinessCheck[]), next to NATS and PostgreSQL. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
