export * from './service-tokens.js';
export * from './service-providers.js';
export * from './periodic-task.js';
export * from './micro-batcher.js';
export * from './ops-endpoint.js';
