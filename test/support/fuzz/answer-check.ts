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

/**
 * Anthropic's envelope (`{type:'error', error:{type, message, code?, tid}}`),
 * which the Messages API routes and callers sending anthropic-version get,
 * read as the one error shape; null when the body is not exactly that.
 */
function fromAnthropicEnvelope(body: unknown): ErrorShape | null {
  if (body === null || typeof body !== 'object' || Object.keys(body).sort().join() !== 'error,type') return null;
  const { type, error } = body as { type: unknown; error: unknown };
  if (type !== 'error' || error === null || typeof error !== 'object') return null;
  const fields = error as Record<string, unknown>;
  const keys = Object.keys(fields).sort().join();
  if (keys !== 'message,tid,type' && keys !== 'code,message,tid,type') return null;
  if (typeof fields.message !== 'string' || typeof fields.type !== 'string' || typeof fields.tid !== 'string')
    return null;
  if (fields.code !== undefined && typeof fields.code !== 'string') return null;
  return {
    error: {
      message: fields.message,
      type: fields.type,
      param: null,
      code: fields.code ?? null,
      tid: fields.tid,
    },
  };
}

const readsAnthropicErrors = (request: FuzzRequest): boolean =>
  /^\/v1\/messages(?:[/?]|$)/.test(request.target) ||
  request.headers.some(([name]) => name.toLowerCase() === 'anthropic-version');

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
  // The error as one shape, whichever envelope the client reads (the document checks the envelope itself).
  const error = readsAnthropicErrors(request) ? (fromAnthropicEnvelope(body) ?? body) : body;
  if (answer.status >= 400 && request.method !== 'head') {
    if (!isErrorShape(error)) problems.push('an error without the documented shape of its envelope');
    else if (error.error.tid !== tid)
      problems.push(`error.tid ${error.error.tid} is not the X-Tid header ${String(tid)}`);
  }
  if (answer.status >= 500) {
    const denial = isErrorShape(error) ? denialOf(route, answer.status, error) : undefined;
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
