export * from './trace-context.js';
export * from './logger.js';
export * from './nest-logger.js';
export * from './tracing.js';
