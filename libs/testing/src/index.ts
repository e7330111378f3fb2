/**
 * @tollgate/testing: what every spec and the e2e suite share — a fresh
 * database per file on the test PostgreSQL server, NATS, and waiting for a
 * condition instead of for a fixed time.
 *
 * Test-only on purpose: jest maps the alias to this folder and tsconfig.json
 * type-checks it, but nothing builds or installs it (no package.json, not in
 * tsconfig.build.json), so a production file that imported it would not build.
 */
export * from './eventually.js';
export * from './late-bound.js';
export * from './test-database.js';
export * from './test-nats.js';
