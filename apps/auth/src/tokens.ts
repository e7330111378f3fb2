/** Nest injection tokens shared inside the auth service. */
export { LOGGER, NATS_BUS } from '@tollgate/service';
