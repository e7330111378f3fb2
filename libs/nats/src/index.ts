export * from './nats-bus.js';
export * from './nats-errors.js';
export * from './nats-microservice.js';
export * from './rpc-failure.filter.js';
