/**
 * The entry point `@tollgate/service/nats-service`: main() of the services
 * behind NATS (auth, billing, router). Kept out of the main entry point so
 * that the edge never loads the Nest NATS server (@nestjs/microservices).
 */
export * from './run-nats-service.js';
