/** Nest injection tokens shared inside the billing service. */
export { LOGGER, NATS_BUS } from '@tollgate/service';
