export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses bytes that should hold a JSON object; null when they do not. */
export function parseJsonObject(raw: Buffer | string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}
