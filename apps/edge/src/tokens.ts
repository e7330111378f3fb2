/** Nest injection tokens shared inside the edge service. */
export const EDGE_CONFIG = Symbol('EDGE_CONFIG');
export { LOGGER, NATS_BUS } from '@tollgate/service';
