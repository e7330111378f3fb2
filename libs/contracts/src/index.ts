export * from './subject.js';
export * from './services.js';
export * from './roles.js';
export * from './auth.contract.js';
export * from './router.contract.js';
export * from './billing.contract.js';
export * from './money.js';
export * from './schema/index.js';
