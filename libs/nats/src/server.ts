/**
 * The entry point `@tollgate/nats/server`: the Nest NATS server the
 * services behind NATS run (auth, billing, router), and the handlers'
 * checks of what arrives. Kept out of the main entry point so that the
 * edge, a NATS client only, never loads @nestjs/microservices.
 */
export * from './nats-microservice.js';
export * from './rpc-failure.filter.js';
export * from './handle-request.decorator.js';
export * from './request-check.js';
export { logHandledMessages, type HandledMessageLevel } from './handled-message-log.js';
