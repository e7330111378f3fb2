export * from './validator.js';
export * from './fields.js';
export { isUuid } from './formats.js';
