export * from './denial-reason.js';
export * from './documented-errors.js';
export * from './error-body.js';
export * from './denial.exception.js';
