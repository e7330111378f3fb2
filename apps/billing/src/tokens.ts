/** Nest injection tokens shared inside the billing service. */
export const LOGGER = Symbol('LOGGER');
export const NATS_BUS = Symbol('NATS_BUS');
