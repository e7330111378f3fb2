/** Nest injection tokens shared inside the edge service. */
export const EDGE_CONFIG = Symbol('EDGE_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const NATS_BUS = Symbol('NATS_BUS');
