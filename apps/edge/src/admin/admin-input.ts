import { parseMoney, type Reply } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';

export type JsonBody = Record<string, unknown>;

const bad = (param: string, detail: string) => new DenialException(DenialReason.InvalidRequest, { param, detail });

/** The value of a service reply, or the documented error it carries. */
export function unwrap<T>(reply: Reply<T>): T {
  if (!reply.ok) throw DenialException.of(reply.denial);
  return reply.value;
}

/**
 * Typed reading of admin request bodies: each accessor names the field at
 * fault in the 400, so callers never get a 500 for a wrong type.
 */
export class AdminInput {
  private constructor(private readonly body: JsonBody) {}

  static of(body: unknown): AdminInput {
    if (body === undefined || body === null) return new AdminInput({});
    if (typeof body !== 'object' || Array.isArray(body)) throw bad('body', 'the request body must be a JSON object');
    return new AdminInput(body as JsonBody);
  }

  has(field: string): boolean {
    return this.body[field] !== undefined;
  }

  string(field: string): string | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw bad(field, `${field} must be a string`);
    return value;
  }

  requiredString(field: string): string {
    const value = this.string(field);
    if (value === undefined || value.trim() === '') throw bad(field, `${field} is required`);
    return value;
  }

  nullableString(field: string): string | null | undefined {
    return this.body[field] === null ? null : this.string(field);
  }

  boolean(field: string): boolean | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw bad(field, `${field} must be true or false`);
    return value;
  }

  integer(field: string): number | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw bad(field, `${field} must be an integer`);
    return value;
  }

  nullableInteger(field: string): number | null | undefined {
    return this.body[field] === null ? null : this.integer(field);
  }

  stringList(field: string): string[] | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw bad(field, `${field} must be a list of strings`);
    }
    return value as string[];
  }

  nullableStringList(field: string): string[] | null | undefined {
    return this.body[field] === null ? null : this.stringList(field);
  }

  stringMap(field: string): Record<string, string> | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (
      !value ||
      typeof value !== 'object' ||
      Array.isArray(value) ||
      Object.values(value).some((v) => typeof v !== 'string')
    ) {
      throw bad(field, `${field} must be an object of strings`);
    }
    return value as Record<string, string>;
  }

  object(field: string): AdminInput | undefined {
    const value = this.body[field];
    if (value === undefined) return undefined;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad(field, `${field} must be an object`);
    return new AdminInput(value as JsonBody);
  }

  /** A decimal money string ("12.50") as micro-units, decimal string. */
  money(field: string, { required = false, allowNegative = false } = {}): string | undefined {
    const value = this.body[field];
    if (value === undefined && !required) return undefined;
    const micros = parseMoney(value);
    if (micros === null) throw bad(field, `${field} must be a decimal string with at most 6 decimals, e.g. "12.50"`);
    if (!allowNegative && micros < 0n) throw bad(field, `${field} must not be negative`);
    return micros.toString();
  }

  nullableMoney(field: string): string | null | undefined {
    return this.body[field] === null ? null : this.money(field);
  }

  moneyMap(field: string): Record<string, string> | undefined {
    const map = this.stringMap(field);
    if (!map) return undefined;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(map)) {
      const micros = parseMoney(value);
      if (micros === null || micros < 0n) throw bad(field, `${field}.${key} must be a non-negative decimal string`);
      out[key] = micros.toString();
    }
    return out;
  }
}
