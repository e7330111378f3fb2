export * from './ip-ranges.js';
