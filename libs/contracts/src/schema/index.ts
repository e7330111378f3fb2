export * from './validator.js';
export * from './fields.js';
