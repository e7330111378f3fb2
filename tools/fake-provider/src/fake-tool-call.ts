/**
 * The tool call the fake makes when a request offers tools: arguments built from the tool's input schema, so
 * a gateway (or a client behind it) that validates them against the schema gets something valid, and split
 * into a few pieces so streams carry them as several argument deltas, as real providers do.
 *
 * Values: the first `enum` entry or the `const` when there is one; otherwise by type — string "fake",
 * integer/number 1, boolean true, array [], null null, object → its own required properties (3 levels deep).
 * Only `required` properties are filled: optional ones are what a real model leaves out most often.
 * Types are compared case-insensitively, because Gemini's OpenAPI-style schemas say "STRING", "OBJECT".
 */
import { isRecord } from './json-guards.js';

/** A function the request offers, whatever dialect described it. */
export interface OfferedTool {
  readonly name: string;
  /** Its parameters' JSON schema (OpenAI `parameters`, Anthropic `input_schema`, Gemini `parameters`). */
  readonly schema: unknown;
}

const MAX_DEPTH = 3;
/** Argument deltas per call: enough that a client must concatenate, few enough to stay cheap. */
const ARGUMENT_PIECES = 3;

function typeOf(schema: Record<string, unknown>): string | undefined {
  const type: unknown = Array.isArray(schema.type)
    ? (schema.type as unknown[]).find((t) => t !== 'null' && t !== 'NULL')
    : schema.type;
  return typeof type === 'string' ? type.toLowerCase() : undefined;
}

function fakeValue(schema: unknown, depth: number): unknown {
  if (!isRecord(schema)) return 'fake';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] as unknown;
  if ('const' in schema) return schema.const;
  switch (typeOf(schema)) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'null':
      return null;
    case 'object':
      return depth < MAX_DEPTH ? fakeObject(schema, depth + 1) : {};
    default:
      // No type at all usually means "a properties object" in hand-written schemas.
      return isRecord(schema.properties) ? fakeObject(schema, depth + 1) : 'fake';
  }
}

function fakeObject(schema: Record<string, unknown>, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (!Array.isArray(schema.required)) return result;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  for (const name of schema.required) {
    if (typeof name === 'string') result[name] = fakeValue(properties[name], depth);
  }
  return result;
}

/** The call's input object: `{}` unless the schema has required properties. */
export function fakeToolInput(schema: unknown): Record<string, unknown> {
  return isRecord(schema) ? fakeObject(schema, 1) : {};
}

/** The serialized arguments in at most ARGUMENT_PIECES nearly equal pieces (`{}` → `{`, `}`). */
export function argumentPieces(json: string): string[] {
  const count = Math.min(ARGUMENT_PIECES, json.length);
  const pieces: string[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = Math.round(((i + 1) * json.length) / count);
    pieces.push(json.slice(start, end));
    start = end;
  }
  return pieces;
}
