export * from './embedded-postgres.js';
export * from './service-database.js';
