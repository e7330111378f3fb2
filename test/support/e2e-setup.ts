import { jest } from '@jest/globals';

// End-to-end tests wait on real processes: generous per test, never retried.
jest.setTimeout(60_000);
