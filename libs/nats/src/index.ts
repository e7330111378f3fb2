export * from './nats-bus.js';
export * from './nats-errors.js';
export * from './decision-note.js';
