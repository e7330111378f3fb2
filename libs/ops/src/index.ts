export * from './ops-server.js';
export * from './readiness.js';
export * from './service-registry.js';
