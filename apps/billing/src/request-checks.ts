import { refused, type Reply } from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';

/**
 * Small checks shared by the handlers that take input from billing staff
 * (through the edge's admin API). A bad field is a documented 400 that names
 * it, never an exception.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export const invalid = (param: string, detail: string): Reply<never> =>
  refused(deny(DenialReason.InvalidRequest, { param, detail }));

export const conflict = (detail: string): Reply<never> => refused(deny(DenialReason.Conflict, { detail }));

/** The first field of `value` that is not in `allowed`, so a typo is refused instead of ignored. */
export function unknownField(value: Record<string, unknown>, allowed: readonly string[]): string | null {
  return Object.keys(value).find((field) => !allowed.includes(field)) ?? null;
}

/** Refuses a request that is not an object or that carries a field the subject does not define. */
export function checkShape(value: unknown, allowed: readonly string[]): Reply<Record<string, unknown>> {
  if (!isRecord(value)) return invalid('body', 'the request must be an object');
  const extra = unknownField(value, allowed);
  return extra === null ? { ok: true, value } : invalid(extra, `unknown field ${extra}`);
}

/** An optional ISO 8601 instant: undefined/null = not given, a Date, or 'invalid'. */
export function optionalInstant(value: unknown): Date | null | 'invalid' {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '') return 'invalid';
  const time = Date.parse(value);
  return Number.isNaN(time) ? 'invalid' : new Date(time);
}

/** Free text from staff (reasons, actors, idempotency keys): present, not blank, bounded. */
export const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max;
