export * from './chat-completions.schema.js';
export * from './completions.schema.js';
export * from './embeddings.schema.js';
export * from './image-generations.schema.js';
export * from './speech.schema.js';
export * from './moderations.schema.js';
export * from './responses.schema.js';
export { RequestedModel } from './request-fields.js';
