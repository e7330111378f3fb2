import { denialsOf, type RouteDeclaration } from '@tollgate/contracts';
import { DenialReason, DOCUMENTED_ERRORS } from '@tollgate/errors';
import { assertDocumented } from '../openapi-conformance.js';
import type { FuzzRequest } from './fuzz-request.js';
import type { RawAnswer } from './raw-exchange.js';

/**
 * 503s that say something true about the suite's data (no channel serves
 * that model, it has no price, its channels cool down), not that the gateway
 * failed. `service_unavailable` is not among them: every service runs the
 * whole time, so a service that did not answer is a failure.
 */
const DATA_503S = new Set([
  DenialReason.NoAvailableChannel,
  DenialReason.ModelPriceMissing,
  DenialReason.ProviderRateLimited,
]);

interface ErrorShape {
  error: { message: string; type: string; param: string | null; code: string | null; tid: string };
}

function isErrorShape(body: unknown): body is ErrorShape {
  if (body === null || typeof body !== 'object' || Object.keys(body).join() !== 'error') return false;
  const error = (body as { error: unknown }).error;
  if (error === null || typeof error !== 'object') return false;
  const fields = error as Record<string, unknown>;
  const nullableText = (value: unknown) => value === null || typeof value === 'string';
  return (
    Object.keys(fields).sort().join() === 'code,message,param,tid,type' &&
    typeof fields.message === 'string' &&
    typeof fields.type === 'string' &&
    typeof fields.tid === 'string' &&
    nullableText(fields.param) &&
    nullableText(fields.code)
  );
}

/** The documented denial an error body is, among those the route declares. */
function denialOf(route: RouteDeclaration, status: number, body: ErrorShape): DenialReason | undefined {
  return denialsOf(route).find((reason) => {
    const row = DOCUMENTED_ERRORS[reason];
    if (row.status !== status) return false;
    return row.code !== null ? row.code === body.error.code : row.message({}) === body.error.message;
  });
}

/**
 * What must hold for every answer, whatever was sent: no 5xx but a 503 the
 * route documents and the data explains; every error in the one error shape
 * with its tid equal to the X-Tid header; the answer as the OpenAPI document
 * describes it. Returns what does not hold, in words.
 */
export function violationsOf(route: RouteDeclaration, request: FuzzRequest, answer: RawAnswer): string[] {
  const problems: string[] = [];
  const tid = answer.headers['x-tid'];
  if (typeof tid !== 'string' || tid === '') problems.push('no X-Tid header');
  const contentType = answer.headers['content-type'] ?? null;
  const json = contentType?.includes('application/json') ?? false;
  let body: unknown = null;
  if (json && answer.text !== '') {
    try {
      body = JSON.parse(answer.text);
    } catch {
      problems.push('the body is not the JSON its content type says');
    }
  }
  // A HEAD answer has no body to check: its status and X-Tid are all there is.
  if (answer.status >= 400 && request.method !== 'head') {
    if (!isErrorShape(body)) problems.push('an error without the {error:{message,type,param,code,tid}} shape');
    else if (body.error.tid !== tid)
      problems.push(`error.tid ${body.error.tid} is not the X-Tid header ${String(tid)}`);
  }
  if (answer.status >= 500) {
    const denial = isErrorShape(body) ? denialOf(route, answer.status, body) : undefined;
    if (denial === undefined || !DATA_503S.has(denial)) problems.push(`a ${answer.status} that is a failure`);
  }
  if (request.method !== 'head') {
    try {
      assertDocumented({ method: request.method, path: request.target, status: answer.status, contentType, body });
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}
