export * from './json.js';
export * from './provider-adapter.js';
export * from './providers.js';
export * from './openai-error.js';
export * from './upstream-http.js';
export * from './sse-event-splitter.js';
export * from './client-dialect.js';
export * from './client-dialects/responses/index.js';
