import { isJsonObject, type JsonObject } from '../../json.js';
import { refuse } from './gemini-refusal.js';

/**
 * JSON Schema (what OpenAI takes for tool parameters and structured output)
 * turned into Gemini's `Schema`: a subset of OpenAPI 3.0 whose fields are
 * listed in the v1beta reference (type, format, title, description, nullable,
 * enum, items, properties, required, propertyOrdering, anyOf, min/max of
 * items, properties, length and value, pattern, example, default). Gemini
 * refuses a field outside that list, so:
 *
 * - translated: `type` lists with `"null"` and `{type: "null"}` members of
 *   anyOf/oneOf become `nullable`; `oneOf` becomes `anyOf`; `const` becomes a
 *   one-value `enum`; enum values become strings (Gemini's enum is a string
 *   list, numbers included); local `$ref`s (`#/$defs/…`, `#/definitions/…`)
 *   and a one-member `allOf` are inlined; `examples` gives `example`;
 * - dropped (annotations and checks Gemini has no field for, which the model
 *   reads in the description anyway or the client checks itself):
 *   `$schema`, `$id`, `$comment`, `additionalProperties`, `strict`,
 *   `exclusiveMinimum`/`Maximum`, `multipleOf`, `uniqueItems`, `readOnly`,
 *   `deprecated` and every other keyword not listed; a `format` other than the
 *   ones Gemini documents per type; an empty `properties`;
 * - refused (dropping them would change what the schema allows): `not`,
 *   `if`/`then`/`else`, an `allOf` of several members, tuple `items`, a
 *   recursive or non-local `$ref`, a type name JSON Schema does not have.
 */

const TYPES: ReadonlyMap<string, string> = new Map([
  ['string', 'STRING'],
  ['number', 'NUMBER'],
  ['integer', 'INTEGER'],
  ['boolean', 'BOOLEAN'],
  ['array', 'ARRAY'],
  ['object', 'OBJECT'],
  ['null', 'NULL'],
]);

/** The `format` values Gemini documents, per type; others are refused by the API. */
const FORMATS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['STRING', new Set(['enum', 'date-time'])],
  ['NUMBER', new Set(['float', 'double'])],
  ['INTEGER', new Set(['int32', 'int64'])],
]);

/** Copied as they are: Gemini's fields with JSON Schema's meaning. */
const KEPT = [
  'format',
  'title',
  'description',
  'nullable',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
  'pattern',
  'example',
  'default',
  'required',
  'propertyOrdering',
] as const;

const REFUSED = ['not', 'if', 'then', 'else'] as const;

/** Deeper than any real schema: a guard against a body built to exhaust the stack. */
const MAX_DEPTH = 64;

export interface SchemaOptions {
  /** Structured output: objects get `propertyOrdering`, so Gemini writes keys in the schema's order. */
  orderProperties?: boolean;
}

interface Walk {
  root: JsonObject;
  options: SchemaOptions;
  /** The `$ref`s being inlined, to refuse a recursive one. */
  refs: string[];
}

/** `schema` (at request field `param`) in Gemini's form; refuses what cannot be translated. */
export function geminiSchema(schema: unknown, param: string, options: SchemaOptions = {}): JsonObject {
  if (!isJsonObject(schema)) throw refuse(param, `${param} must be a JSON Schema object`);
  return convert(schema, param, { root: schema, options, refs: [] }, 0);
}

function convert(schema: JsonObject, param: string, walk: Walk, depth: number): JsonObject {
  if (depth > MAX_DEPTH) throw refuse(param, `${param} is nested deeper than ${MAX_DEPTH} levels`);
  for (const keyword of REFUSED) {
    if (keyword in schema) throw refuse(`${param}.${keyword}`, `${keyword} has no counterpart in Gemini's schema`);
  }
  const inlined = inlinedMember(schema, param, walk, depth);
  const out: JsonObject = inlined ? { ...inlined } : {};

  for (const key of KEPT) if (schema[key] !== undefined) out[key] = schema[key];
  if (out.example === undefined && Array.isArray(schema.examples) && schema.examples.length > 0) {
    out.example = schema.examples[0];
  }

  applyType(schema, param, out);
  applyEnum(schema, out);
  applyComposition(schema, param, walk, depth, out);

  if (isJsonObject(schema.properties)) {
    // fromEntries defines own properties: a property named __proto__ stays a property.
    const properties: JsonObject = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => {
        const at = `${param}.properties.${name}`;
        if (!isJsonObject(property)) throw refuse(at, `${at} must be a JSON Schema object`);
        return [name, convert(property, at, walk, depth + 1)];
      }),
    );
    if (Object.keys(properties).length > 0) {
      out.properties = properties;
      out.type ??= 'OBJECT';
      if (walk.options.orderProperties && out.propertyOrdering === undefined) {
        out.propertyOrdering = Object.keys(properties);
      }
    }
  }
  if (schema.items !== undefined) {
    const at = `${param}.items`;
    if (!isJsonObject(schema.items)) throw refuse(at, `${at}: tuple items have no counterpart in Gemini's schema`);
    out.items = convert(schema.items, at, walk, depth + 1);
    out.type ??= 'ARRAY';
  }

  const type = out.type;
  if (typeof out.format === 'string' && !(typeof type === 'string' && FORMATS.get(type)?.has(out.format))) {
    delete out.format;
  }
  return out;
}

/** What a `$ref` or a one-member `allOf` stands for, converted: the schema's own keywords then refine it. */
function inlinedMember(schema: JsonObject, param: string, walk: Walk, depth: number): JsonObject | null {
  if (schema.allOf !== undefined) {
    const at = `${param}.allOf`;
    if (!Array.isArray(schema.allOf) || schema.allOf.length !== 1 || !isJsonObject(schema.allOf[0])) {
      throw refuse(at, `${at}: only a one-member allOf has a counterpart in Gemini's schema`);
    }
    return convert(schema.allOf[0], `${at}[0]`, walk, depth + 1);
  }
  if (schema.$ref === undefined) return null;
  const at = `${param}.$ref`;
  const ref = schema.$ref;
  const target = typeof ref === 'string' ? definition(walk.root, ref) : undefined;
  if (typeof ref !== 'string' || target === undefined) {
    throw refuse(at, `${at} must point into the schema's own $defs or definitions`);
  }
  if (walk.refs.includes(ref)) throw refuse(at, `${at}: recursive schemas have no counterpart in Gemini's schema`);
  walk.refs.push(ref);
  try {
    return convert(target, at, walk, depth + 1);
  } finally {
    walk.refs.pop();
  }
}

function definition(root: JsonObject, ref: string): JsonObject | undefined {
  const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  if (!match) return undefined;
  const defs = root[match[1]];
  const name = match[2].replace(/~1/g, '/').replace(/~0/g, '~');
  const target = isJsonObject(defs) && Object.hasOwn(defs, name) ? defs[name] : undefined;
  return isJsonObject(target) ? target : undefined;
}

function applyType(schema: JsonObject, param: string, out: JsonObject): void {
  const type = schema.type;
  if (type === undefined) return;
  const names = Array.isArray(type) ? type : [type];
  const mapped = names.map((name) => {
    const gemini = typeof name === 'string' ? TYPES.get(name) : undefined;
    if (gemini === undefined) throw refuse(`${param}.type`, `${param}.type names a type JSON Schema does not have`);
    return gemini;
  });
  const nonNull = mapped.filter((name) => name !== 'NULL');
  if (nonNull.length < mapped.length && nonNull.length > 0) out.nullable = true;
  if (nonNull.length === 0) out.type = 'NULL';
  else if (nonNull.length === 1) out.type = nonNull[0];
  else out.anyOf = nonNull.map((name) => ({ type: name }));
}

function applyEnum(schema: JsonObject, out: JsonObject): void {
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : null;
  if (values === null) return;
  if (values.includes(null)) out.nullable = true;
  out.enum = values
    .filter((value) => value !== null)
    .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  out.type ??= 'STRING';
}

function applyComposition(schema: JsonObject, param: string, walk: Walk, depth: number, out: JsonObject): void {
  const keyword = schema.anyOf !== undefined ? 'anyOf' : schema.oneOf !== undefined ? 'oneOf' : null;
  if (keyword === null) return;
  const members = schema[keyword];
  const at = `${param}.${keyword}`;
  if (!Array.isArray(members) || members.length === 0) throw refuse(at, `${at} must be a non-empty array of schemas`);
  const converted = members.map((member: unknown, i) => {
    if (!isJsonObject(member)) throw refuse(`${at}[${i}]`, `${at}[${i}] must be a JSON Schema object`);
    return convert(member, `${at}[${i}]`, walk, depth + 1);
  });
  const nonNull = converted.filter((member) => member.type !== 'NULL');
  if (nonNull.length < converted.length) out.nullable = true;
  // One member left: it is the schema, refined by the schema's own keywords (a description beside anyOf).
  if (nonNull.length === 1) Object.assign(out, { ...nonNull[0], ...out });
  else if (nonNull.length > 1) out.anyOf = nonNull;
}
