import {
  ApiVersion,
  GroupName,
  IdempotencyKey,
  LEDGER_ENTRY_TYPES,
  LIMITS,
  MultiplierInput,
  normalizeIdempotencyKey,
  parseMoney,
  REQUEST_OUTCOMES,
  RESERVED_IDEMPOTENCY_PREFIXES,
  TraceId,
  Uuid,
  validatorFor,
  type LedgerEntryType,
} from '@tollgate/contracts';
import { UsageError } from './cli-errors.js';

/**
 * Checks of command-line input, made before anything is sent, so a typo in
 * an amount or a missing reason never reaches the server. Each returns the
 * value in the form the admin API expects, or throws a UsageError naming
 * the option at fault.
 */

export type MoneySign = 'positive' | 'non-zero' | 'non-negative';

// The rules are the admin API's own (libs/contracts); only the sentences are the CLI's, naming options.
const isUuid = validatorFor(Uuid()).is;
const isTraceId = validatorFor(TraceId()).is;
const isGroup = (text: string): boolean => validatorFor(GroupName()).is(text);
const isApiVersion = (text: string): boolean => validatorFor(ApiVersion()).is(text);
const isMultiplier = validatorFor(MultiplierInput.properties.multiplier).is;
const isIdempotencyKey = validatorFor(IdempotencyKey()).is;

/** A money amount as the API takes it: a decimal string with at most 6 decimals ("12.50", "-3"). */
export function money(text: string | undefined, what: string, sign: MoneySign): string {
  if (text === undefined || text.trim() === '') throw new UsageError(`${what} is required`);
  const micros = parseMoney(text.trim());
  if (micros === null) {
    throw new UsageError(`${what} "${text}" is not a decimal amount with at most 6 decimals (e.g. 12.50)`);
  }
  if (sign === 'positive' && micros <= 0n) throw new UsageError(`${what} must be greater than zero (got ${text})`);
  if (sign === 'non-zero' && micros === 0n) throw new UsageError(`${what} must not be zero`);
  if (sign === 'non-negative' && micros < 0n) throw new UsageError(`${what} must not be negative (got ${text})`);
  return text.trim();
}

export function requiredText(text: string | undefined, what: string, maxLength: number): string {
  if (text === undefined || text.trim() === '') throw new UsageError(`${what} is required`);
  if (text.length > maxLength) throw new UsageError(`${what} must be at most ${maxLength} characters`);
  return text.trim();
}

/** Why a balance changed is part of the ledger; the API refuses a change without one. */
export function reason(text: string | undefined, option = '--reason'): string {
  return requiredText(text, `${option} (why the balance changes; it is kept in the ledger)`, LIMITS.reasonLength);
}

/**
 * Money commands must be safe to re-run: with the same key, a retried or
 * repeated command changes nothing the second time. So the key is required,
 * never made up by the CLI (a fresh key per run would defeat the point). It
 * is sent in Unicode NFC, the form billing compares keys in, so two spellings
 * of one key are one key here too (a batch file that has both is refused).
 */
export function idempotencyKey(text: string | undefined, option = '--idempotency-key'): string {
  if (text === undefined || text.trim() === '') {
    throw new UsageError(
      `${option} is required: money commands must be safe to re-run, so give a key that names this change ` +
        `(e.g. invoice-2024-0042) and use the same key if you retry`,
    );
  }
  const key = normalizeIdempotencyKey(text);
  if (key.length > LIMITS.idempotencyKeyLength) {
    throw new UsageError(`${option} must be at most ${LIMITS.idempotencyKeyLength} characters`);
  }
  // Billing writes its own ledger rows under these prefixes; a staff key that used one would collide with them.
  if (RESERVED_IDEMPOTENCY_PREFIXES.some((prefix) => key.startsWith(prefix))) {
    throw new UsageError(
      `${option} may not start with ${RESERVED_IDEMPOTENCY_PREFIXES.join(', ')} (billing uses those)`,
    );
  }
  if (!isIdempotencyKey(key)) {
    throw new UsageError(
      `${option} may not hold control characters or unpaired surrogates, nor start or end with white space`,
    );
  }
  return key;
}

export function uuid(text: string | undefined, what: string): string {
  if (text === undefined || !isUuid(text.trim())) {
    throw new UsageError(`${what} must be a UUID such as 0b5f2a52-4a8e-4b8f-9c57-2f2d5a3c1e7d (got "${text ?? ''}")`);
  }
  return text.trim();
}

export function integer(text: string, what: string, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${what} must be a whole number ${range} (got "${text}")`);
  }
  return value;
}

export function channelId(text: string): number {
  return integer(text, 'channel id', { min: 1 });
}

/** An ISO 8601 date or date-time; passed on as typed, the server reads it the same way. */
export function isoDate(text: string | undefined, what: string): string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new UsageError(`${what} must be an ISO 8601 date or date-time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z`);
  }
  return text;
}

export function choice<T extends string>(text: string | undefined, allowed: readonly T[], what: string): T | undefined {
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`${what} must be one of ${allowed.join(', ')} (got "${text}")`);
  }
  return text as T;
}

export function group(text: string | undefined, what = 'group'): string | undefined {
  if (text === undefined) return undefined;
  if (isGroup(text)) return text;
  throw new UsageError(`${what} must be 1–${LIMITS.groupNameLength} letters, digits, _, . or - (got "${text}")`);
}

/** Azure's api-version; the word `default` clears it (the gateway's default applies). */
export function apiVersion(text: string | undefined, what = '--api-version'): string | null | undefined {
  return clearable(text, 'default', (value) => {
    if (isApiVersion(value)) return value;
    throw new UsageError(`${what} must be an API version such as 2024-10-21 or 2025-04-01-preview (got "${value}")`);
  });
}

/** "a, b,c" → ["a", "b", "c"]; blanks dropped. */
export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** "1024x1024=0.04" → ["1024x1024", "0.04"]. */
export function keyValue(text: string, what: string): [string, string] {
  const at = text.indexOf('=');
  const key = at > 0 ? text.slice(0, at).trim() : '';
  const value = at > 0 ? text.slice(at + 1).trim() : '';
  if (key === '' || value === '') throw new UsageError(`${what} must look like name=value (got "${text}")`);
  return [key, value];
}

/** Repeated values of one option ("--image a=1 --image b=2"), for commander's argParser. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A group's price multiplier: "0.8" for 20% off; the API keeps 4 decimals. */
export function multiplier(text: string): string {
  if (!isMultiplier(text.trim())) {
    const max = LIMITS.multiplierBasisPoints / 10_000;
    throw new UsageError(
      `multiplier must be a decimal from 0 to ${max} with at most 4 decimals, e.g. 0.8 (got "${text}")`,
    );
  }
  return text.trim();
}

export function ledgerTypes(text: string | undefined): LedgerEntryType[] | undefined {
  if (text === undefined) return undefined;
  const types = commaList(text);
  const unknown = types.filter((type) => !(LEDGER_ENTRY_TYPES as readonly string[]).includes(type));
  if (types.length === 0 || unknown.length > 0) {
    throw new UsageError(`--type must be a comma-separated list of ${LEDGER_ENTRY_TYPES.join(', ')}`);
  }
  return types as LedgerEntryType[];
}

/**
 * An option that can be cleared: the word for "nothing" (never, none, all, any)
 * becomes null, which the API reads as "remove the limit".
 */
export function clearable<T>(
  text: string | undefined,
  clearWord: string,
  parse: (text: string) => T,
): T | null | undefined {
  if (text === undefined) return undefined;
  return text.trim().toLowerCase() === clearWord ? null : parse(text);
}

/** Here --key filters by an API key's id; an operator who meant the admin key is told where that goes. */
export function keyIdFilter(text: string, command: string): string {
  if (text.startsWith('sk-')) {
    throw new UsageError(
      `${command} --key takes the id of an API key to filter by; the admin key goes before the command: tollgate --key <adminKey> ${command}`,
    );
  }
  return uuid(text, '--key');
}

/** A tid as the client saw it in X-Tid or an error body. */
export function tid(text: string | undefined, what: string): string {
  if (text === undefined || !isTraceId(text.trim())) {
    throw new UsageError(`${what} must be a tid: the 32 hex digits of X-Tid or an error body (got "${text ?? ''}")`);
  }
  return text.trim().toLowerCase();
}

/** A request's outcome (ok, failed) or the HTTP status the client got. */
export function requestStatus(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if ((REQUEST_OUTCOMES as readonly string[]).includes(text) || /^\d{3}$/.test(text)) return text;
  throw new UsageError(`--status must be ok, failed or an HTTP status such as 502 (got "${text}")`);
}
