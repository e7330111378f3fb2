import fc from 'fast-check';
import type { TSchema } from '@tollgate/typebox';

/**
 * The JSON Schema keywords our TypeBox contracts use: a TypeBox schema is
 * plain JSON Schema with a few symbols, so reading these is reading the
 * contract itself.
 */
export interface JsonSchema {
  type?: string;
  const?: unknown;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  minProperties?: number;
  maxProperties?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export const asJsonSchema = (schema: TSchema): JsonSchema => schema as JsonSchema;

/**
 * What a value generator may be told about the suite it runs against: the
 * generator of a format, and of a field by its dotted path (`timeouts.idle_ms`),
 * win over what the schema alone would give.
 */
export interface ValueContext {
  formats: Record<string, fc.Arbitrary<string>>;
  fields?: Record<string, fc.Arbitrary<unknown>>;
}

/** Generated lists and maps stay small: the point is their shape, not their size. */
const MAX_GENERATED_ITEMS = 4;
const MAX_GENERATED_TEXT = 40;

/**
 * fast-check's `stringMatching` does not implement lookaheads. A pattern
 * with them (`^(?=…\S)…`, `^-?(?!0+$)…`) is generated without them and
 * filtered by the whole pattern, so every value still matches it.
 */
function withoutLookaheads(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      out += pattern.slice(i, i + 2);
      i++;
    } else if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i)) {
      for (let depth = 0; i < pattern.length; i++) {
        if (pattern[i] === '\\') i++;
        else if (pattern[i] === '(') depth++;
        else if (pattern[i] === ')' && --depth === 0) break;
      }
    } else {
      out += pattern[i];
    }
  }
  return out;
}

function stringOf(schema: JsonSchema, context: ValueContext): fc.Arbitrary<string> {
  if (schema.format) {
    const format = context.formats[schema.format];
    if (!format) throw new Error(`no generator for the string format "${schema.format}"`);
    return format;
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Number.MAX_SAFE_INTEGER;
  if (schema.pattern) {
    const whole = new RegExp(schema.pattern);
    return fc
      .stringMatching(new RegExp(withoutLookaheads(schema.pattern)), { size: 'xsmall' })
      .filter((value) => whole.test(value) && value.length >= minLength && value.length <= maxLength);
  }
  return fc.string({
    unit: 'binary',
    minLength,
    maxLength: Math.min(maxLength, Math.max(minLength, MAX_GENERATED_TEXT)),
  });
}

function numberOf(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.exclusiveMinimum ?? schema.minimum;
  const max = schema.exclusiveMaximum ?? schema.maximum;
  if (schema.type === 'integer') {
    const low = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : schema.minimum;
    const high = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : schema.maximum;
    return fc.integer({ min: low ?? -(2 ** 31), max: high ?? 2 ** 31 - 1 });
  }
  return fc.double({
    min,
    max,
    minExcluded: schema.exclusiveMinimum !== undefined,
    maxExcluded: schema.exclusiveMaximum !== undefined,
    noNaN: true,
    noDefaultInfinity: true,
  });
}

function objectOf(schema: JsonSchema, context: ValueContext, path: string): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fields = Object.fromEntries(
    Object.entries(properties).map(([name, field]) => [name, valueOf(field, context, path ? `${path}.${name}` : name)]),
  );
  const declared = fc.record(fields, { requiredKeys: [...required] });
  const patterns = Object.entries(schema.patternProperties ?? {});
  const maxKeys = Math.min(schema.maxProperties ?? MAX_GENERATED_ITEMS, MAX_GENERATED_ITEMS);
  const mapped =
    patterns.length === 0
      ? fc.constant({})
      : fc.oneof(
          ...patterns.map(([pattern, value]) =>
            fc.dictionary(stringOf({ pattern }, context), valueOf(value, context, `${path}.*`), { maxKeys }),
          ),
        );
  // A pass-through object (the /v1 bodies) also carries fields the gateway does not read.
  const extra =
    schema.additionalProperties === true
      ? fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 })
      : fc.constant({});
  return fc
    .tuple(extra, mapped, declared)
    .map(([more, map, own]) => ({ ...more, ...map, ...own }))
    .filter((value) => Object.keys(value).length >= (schema.minProperties ?? 0));
}

/** An arbitrary of the values the schema accepts. */
export function valueOf(schema: JsonSchema, context: ValueContext, path = ''): fc.Arbitrary<unknown> {
  const field = context.fields?.[path];
  if (field) return field;
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((option) => valueOf(option, context, path)));
  switch (schema.type) {
    case 'string':
      return stringOf(schema, context);
    case 'integer':
    case 'number':
      return numberOf(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? MAX_GENERATED_ITEMS, Math.max(minLength, MAX_GENERATED_ITEMS));
      return fc.array(valueOf(schema.items ?? {}, context, `${path}[]`), { minLength, maxLength });
    }
    case 'object':
      return objectOf(schema, context, path);
    case undefined:
      // Type.Unknown(): any JSON at all.
      return fc.jsonValue({ maxDepth: 2 });
    default:
      throw new Error(`no generator for the schema type "${schema.type}"`);
  }
}
