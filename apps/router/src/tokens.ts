/** Nest injection tokens shared inside the router service. */
export { LOGGER, NATS_BUS } from '@tollgate/service';
export const SECRET_BOX = Symbol('SECRET_BOX');
export const CLOCK = Symbol('CLOCK');
export const RANDOM = Symbol('RANDOM');
export const HEALTH_TRACKER = Symbol('HEALTH_TRACKER');
/** The configured ChannelTimeouts, used wherever a channel has none of its own. */
export const CHANNEL_TIMEOUT_DEFAULTS = Symbol('CHANNEL_TIMEOUT_DEFAULTS');
/** The one undici client to upstreams (libs/providers), for channel tests and auto-enable probes. */
export const UPSTREAM_HTTP = Symbol('UPSTREAM_HTTP');
