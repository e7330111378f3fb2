export * from './embedded-postgres.js';
export * from './bigint.transformer.js';
export * from './service-database.js';
