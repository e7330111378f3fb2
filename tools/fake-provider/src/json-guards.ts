/** Narrowing for parsed JSON, which arrives as `unknown` and is only trusted after these checks. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
