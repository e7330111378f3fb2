import fc from 'fast-check';
import type { RouteDeclaration } from '@tollgate/contracts';
import type { FuzzRequest } from './fuzz-request.js';

/** One fast-check run: `numRuns` requests to one route from one seed. */
export interface FuzzJob {
  route: RouteDeclaration;
  seed: number;
  numRuns: number;
}

export interface FuzzFailure {
  job: FuzzJob;
  /** fast-check's report: seed, path, the shrunk counterexample and the error it threw. */
  report: string;
}

/** A route's share of the cases grows with what it takes: a body counts most, then a query and path ids. */
function weightOf(route: RouteDeclaration): number {
  return 1 + (route.body ? 3 : 0) + (route.query ? 1 : 0) + (route.params ? 1 : 0);
}

/** A small stable number per route, so that each route's cases differ for one seed. */
function routeSalt(route: RouteDeclaration): number {
  let hash = 0;
  for (const character of `${route.method} ${route.path}`) hash = (hash * 31 + character.charCodeAt(0)) | 0;
  return hash;
}

/**
 * At least `totalCases` requests spread over the routes by weight and over
 * the seeds, each route's share cut into jobs of at most `jobSize` runs so
 * that a pool can keep many in flight.
 */
export function planJobs(options: {
  routes: readonly RouteDeclaration[];
  seeds: readonly number[];
  totalCases: number;
  jobSize: number;
}): FuzzJob[] {
  const totalWeight = options.routes.reduce((sum, route) => sum + weightOf(route), 0);
  const jobs: FuzzJob[] = [];
  for (const route of options.routes) {
    const cases = Math.ceil((options.totalCases * weightOf(route)) / totalWeight);
    const perSeed = Math.ceil(cases / options.seeds.length);
    options.seeds.forEach((seed) => {
      for (let done = 0, part = 0; done < perSeed; done += options.jobSize, part++) {
        jobs.push({
          route,
          seed: (seed ^ routeSalt(route)) + part,
          numRuns: Math.min(options.jobSize, perSeed - done),
        });
      }
    });
  }
  return jobs;
}

/**
 * Runs every job, `concurrency` at a time: each job is one fc.assert of its
 * own (a fast-check run is sequential; the pool is what keeps requests in
 * flight together). A failing job shrinks its case and reports it; the
 * others go on, so one run shows every failing route.
 */
export async function runJobs(options: {
  jobs: readonly FuzzJob[];
  concurrency: number;
  requests: (route: RouteDeclaration) => fc.Arbitrary<FuzzRequest>;
  check: (route: RouteDeclaration, request: FuzzRequest) => Promise<void>;
}): Promise<FuzzFailure[]> {
  const queue = [...options.jobs];
  const failures: FuzzFailure[] = [];
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const { route } = job;
      try {
        await fc.assert(
          fc.asyncProperty(options.requests(route), (request) => options.check(route, request)),
          { seed: job.seed, numRuns: job.numRuns, includeErrorInReport: true },
        );
      } catch (error) {
        failures.push({ job, report: (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return failures;
}
