export * from './embedded-postgres.js';
export * from './service-database.js';
export * from './repeatable-migrations.js';
