import { FormatRegistry } from '@tollgate/typebox';
import { parseCidr } from '@tollgate/net';
import { LIMITS, normalizeIdempotencyKey, RESERVED_IDEMPOTENCY_PREFIXES } from './fields.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `uuid` format's test, for text that may or may not be an id (a search). */
export const isUuid = (value: string): boolean => UUID.test(value);
// RFC 3339 date-time (the profile of ISO 8601 JSON Schema means), offset required.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
// Deliberately loose: one @, no spaces, a dot in the domain. Deliverability is not ours to judge.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The key as billing will use it, after NFC, still within the rules the
 * pattern checks on the key as sent: NFC lengthens a few characters
 * (U+0958 → U+0915 U+093C) and turns others into ASCII (U+212A KELVIN SIGN → K).
 */
function isIdempotencyKeyInNfc(value: string): boolean {
  const key = normalizeIdempotencyKey(value);
  return (
    key.length <= LIMITS.idempotencyKeyLength && !RESERVED_IDEMPOTENCY_PREFIXES.some((prefix) => key.startsWith(prefix))
  );
}

/**
 * The JSON Schema formats our contracts use. TypeBox checks a format only when
 * it is registered, so a contract with an unregistered format fails loudly
 * (StringFormatUnknown) instead of accepting anything.
 */
export function registerFormats(): void {
  if (FormatRegistry.Has('uuid')) return;
  FormatRegistry.Set('uuid', (value) => UUID.test(value));
  FormatRegistry.Set('date-time', (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
  FormatRegistry.Set('date', (value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)));
  FormatRegistry.Set('email', (value) => EMAIL.test(value));
  FormatRegistry.Set('uri', isHttpUrl);
  // The same parser the edge matches client addresses with, so what is accepted is what is enforced.
  FormatRegistry.Set('ip-range', (value) => parseCidr(value) !== null);
  FormatRegistry.Set('idempotency-key', isIdempotencyKeyInNfc);
}
