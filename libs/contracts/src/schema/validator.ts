import type { Static, TSchema } from '@tollgate/typebox';
import { TypeCompiler } from '@tollgate/typebox';
import { ValueErrorType, type ValueError } from '@tollgate/typebox';
import { registerFormats } from './formats.js';

/**
 * What is wrong with an input, as the documented 400 shows it: `param` names
 * the field the way the sender spelled it (`timeouts.connect_ms`,
 * `rows[3].amount`, `body` for the whole body) and `detail` says what is
 * wrong in words.
 */
export interface InputProblem {
  param: string;
  detail: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: InputProblem };

/**
 * Keywords of our own, read only here (the OpenAPI document drops them):
 * - `errorMessage`: the whole sentence for any failure at this node or below
 *   it, `{param}` standing for the field's name as the client spelled it;
 * - `errorParam`: `'list'` reports a failure inside an item of a list at the
 *   list itself (`messages`, not `messages[0].role`), for sentences written
 *   about the list;
 * - `clientName`: the field's name as the client spelled it when the value
 *   reached us under another one: the admin API's `base_url` travels over
 *   NATS as `baseUrl`, and the refusal the client reads names `base_url`.
 */
export interface ErrorAnnotations {
  errorMessage?: string;
  /** The sentence for a string that fails the node's `pattern` only (other failures keep theirs). */
  patternMessage?: string;
  errorParam?: 'list';
  clientName?: string;
}

export interface Validator<T> {
  readonly schema: TSchema;
  /** Compiled: one generated function, the same cost as a hand-written check. */
  readonly is: (this: void, value: unknown) => value is T;
  readonly check: (this: void, value: unknown) => Checked<T>;
}

registerFormats();

/**
 * Compiles a schema once (at module load) into a checker. TypeBox generates
 * JavaScript for it, so the request path pays for the checks, not for
 * interpreting a schema; only a failing value walks the slower error path.
 */
export function compile<S extends TSchema>(schema: S): Validator<Static<S>> {
  const compiled = TypeCompiler.Compile(schema);
  return {
    schema,
    is: (value: unknown): value is Static<S> => compiled.Check(value),
    check: (value) => {
      if (compiled.Check(value)) return { ok: true, value };
      const first = compiled.Errors(value).First();
      return { ok: false, problem: first ? explain(schema, first) : { param: 'body', detail: 'body is not valid' } };
    },
  };
}

const compiled = new WeakMap<TSchema, Validator<unknown>>();

/** The validator of a schema, compiled the first time it is asked for. */
export function validatorFor<S extends TSchema>(schema: S): Validator<Static<S>> {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = compile(schema);
    compiled.set(schema, validator);
  }
  return validator;
}

/** A JSON pointer (`/rows/3/amount`) split into its segments, unescaped (RFC 6901). */
const segmentsOf = (path: string): string[] =>
  path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

const isIndex = (segment: string) => /^\d+$/.test(segment);

/** `['rows', '3', 'amount']` → `rows[3].amount`; the empty path is the body. */
export function paramOf(segments: readonly string[]): string {
  let param = '';
  for (const segment of segments) {
    if (isIndex(segment)) param += `[${segment}]`;
    else param += param === '' ? segment : `.${segment}`;
  }
  return param === '' ? 'body' : param;
}

type Annotated = TSchema & ErrorAnnotations;

/** The schema nodes from the root down along `segments`, as far as they can be followed. */
function nodesAlong(root: TSchema, segments: readonly string[]): Annotated[] {
  const nodes: Annotated[] = [root];
  let node: TSchema | undefined = root;
  for (const segment of segments) {
    node = childOf(node, segment);
    if (!node) break;
    nodes.push(node);
  }
  return nodes;
}

function childOf(node: TSchema, segment: string): TSchema | undefined {
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.anyOf)) {
    for (const variant of n.anyOf as TSchema[]) {
      const child = childOf(variant, segment);
      if (child) return child;
    }
    return undefined;
  }
  if (n.properties && typeof n.properties === 'object' && segment in n.properties) {
    return (n.properties as Record<string, TSchema>)[segment];
  }
  if (n.items && typeof n.items === 'object' && isIndex(segment)) return n.items as TSchema;
  if (n.patternProperties && typeof n.patternProperties === 'object') {
    return Object.values(n.patternProperties as Record<string, TSchema>)[0];
  }
  if (n.additionalProperties && typeof n.additionalProperties === 'object') return n.additionalProperties as TSchema;
  return undefined;
}

/**
 * For a failed nullable field (`T | null`), the failure of `T`: a client who
 * sent "5" for an integer wants to hear "must be an integer", not "must be an
 * integer or null". Other unions are explained as a whole ("one of …").
 */
function innermost(error: ValueError): ValueError {
  if (error.type !== ValueErrorType.Union || (error.schema as Annotated).errorMessage) return error;
  const variants = ((error.schema as Record<string, unknown>).anyOf as Array<Record<string, unknown>>) ?? [];
  const nonNull = variants
    .map((variant, index) => ({ variant, index }))
    .filter(({ variant }) => variant.type !== 'null');
  if (nonNull.length !== 1 || nonNull.length === variants.length) return error;
  const first = error.errors[nonNull[0].index]?.First();
  return first ? innermost(first) : error;
}

/** Marked `errorParam: 'list'`, itself or as the list of a nullable list. */
const isList = (node: Annotated): boolean =>
  node.errorParam === 'list' || ((node as { anyOf?: Annotated[] }).anyOf ?? []).some((v) => v.errorParam === 'list');

function explain(root: TSchema, raw: ValueError): InputProblem {
  const error = innermost(raw);
  const sent = segmentsOf(error.path);
  // An unknown field has no schema of its own: its container speaks for it.
  const unknownField = error.type === ValueErrorType.ObjectAdditionalProperties;
  const nodes = nodesAlong(root, unknownField ? sent.slice(0, -1) : sent);
  const segments = sent.map((segment, depth) => nodes[depth + 1]?.clientName ?? segment);
  // The path of a nullable field ends at its union: the variant that failed speaks for it if it has a sentence.
  if (!unknownField && nodes.length === sent.length + 1 && (error.schema as Annotated).errorMessage !== undefined) {
    nodes[nodes.length - 1] = error.schema;
  }
  // A missing field (absent, or `undefined` in an object built in code, which
  // JSON drops) is a failure of the object that lacks it: the field's own
  // sentence is about a wrong value ("messages must be a non-empty array"),
  // so it does not speak for an absent one ("messages is required"), though
  // an enclosing node's sentence still does.
  const last = segments.at(-1);
  const missing =
    !unknownField &&
    (error.type === ValueErrorType.ObjectRequiredProperty || error.value === undefined) &&
    last !== undefined &&
    !isIndex(last) &&
    nodes.length === segments.length + 1;
  // The deepest node on the path that carries a sentence of its own speaks for the failure.
  for (let depth = nodes.length - (missing ? 2 : 1); depth >= 0; depth--) {
    const node = nodes[depth];
    if (node.errorMessage === undefined) continue;
    let at = segments.slice(0, depth);
    if (isList(node) || (depth > 0 && isList(nodes[depth - 1]))) {
      while (at.length > 0 && isIndex(at[at.length - 1])) at = at.slice(0, -1);
    }
    const param = paramOf(at);
    return { param, detail: node.errorMessage.replaceAll('{param}', param) };
  }
  // A key a map (a record) does not allow is the map's fault: name the map, and show the key escaped.
  const container = nodes[nodes.length - 1] as Record<string, unknown> | undefined;
  if (unknownField && container?.patternProperties) {
    const param = paramOf(segments.slice(0, -1));
    return { param, detail: `${param} may not have the key ${JSON.stringify(last)}` };
  }
  const param = paramOf(segments);
  return { param, detail: missing ? `${param} is required` : describe(param, error) };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The sentence for a failure at a node without an `errorMessage` of its own. */
function describe(param: string, error: ValueError): string {
  const s = error.schema as Record<string, unknown>;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `${param} is required`;
    case ValueErrorType.ObjectAdditionalProperties:
      return `unknown field ${param}`;
    case ValueErrorType.String:
      return `${param} must be a string`;
    case ValueErrorType.Boolean:
      return `${param} must be a boolean`;
    case ValueErrorType.Integer:
      return `${param} must be an integer`;
    case ValueErrorType.Number:
      return `${param} must be a number`;
    case ValueErrorType.Object:
      return `${param} must be an object`;
    case ValueErrorType.Array:
      return `${param} must be an array`;
    case ValueErrorType.Null:
      return `${param} must be null`;
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `${param} must be at least ${String(s.minimum)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `${param} must be at most ${String(s.maximum)}`;
    case ValueErrorType.IntegerExclusiveMinimum:
    case ValueErrorType.NumberExclusiveMinimum:
      return `${param} must be greater than ${String(s.exclusiveMinimum)}`;
    case ValueErrorType.IntegerExclusiveMaximum:
    case ValueErrorType.NumberExclusiveMaximum:
      return `${param} must be less than ${String(s.exclusiveMaximum)}`;
    case ValueErrorType.StringMinLength:
      return s.minLength === 1
        ? `${param} must not be empty`
        : `${param} must be at least ${plural(Number(s.minLength), 'character')}`;
    case ValueErrorType.StringMaxLength:
      return `${param} must be at most ${plural(Number(s.maxLength), 'character')}`;
    case ValueErrorType.ArrayMinItems:
      return s.minItems === 1
        ? `${param} must not be empty`
        : `${param} must have at least ${plural(Number(s.minItems), 'item')}`;
    case ValueErrorType.ArrayMaxItems:
      return `${param} must have at most ${plural(Number(s.maxItems), 'item')}`;
    case ValueErrorType.ArrayUniqueItems:
      return `${param} must not repeat an item`;
    case ValueErrorType.ObjectMaxProperties:
      return `${param} must have at most ${plural(Number(s.maxProperties), 'entry')}`;
    case ValueErrorType.ObjectMinProperties:
      return `${param} must not be empty`;
    case ValueErrorType.Literal:
      return `${param} must be ${JSON.stringify(s.const)}`;
    case ValueErrorType.StringFormat:
      return `${param} must be ${formatWords(String(s.format))}`;
    case ValueErrorType.StringPattern:
      return typeof s.patternMessage === 'string'
        ? s.patternMessage.replaceAll('{param}', param)
        : `${param} is not in the expected form`;
    case ValueErrorType.Union:
      return `${param} must be ${alternatives(s)}`;
    default:
      return `${param} is not valid`;
  }
}

const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'an ISO 8601 date-time',
  date: 'an ISO 8601 date',
  uuid: 'a UUID',
  email: 'an e-mail address',
  uri: 'an http:// or https:// URL',
  'ip-range': 'an IPv4 or IPv6 address or CIDR range, e.g. 10.0.0.0/8',
};
const formatWords = (format: string) => FORMAT_WORDS[format] ?? `a valid ${format}`;

/** "one of 'a', 'b'" for a union of literals; "a string or null" and the like otherwise. */
function alternatives(schema: Record<string, unknown>): string {
  const variants = (schema.anyOf as Array<Record<string, unknown>> | undefined) ?? [];
  const literal = (v: Record<string, unknown>) => `'${JSON.stringify(v.const).replace(/^"|"$/g, '')}'`;
  const literals = variants.filter((v) => v.const !== undefined).map(literal);
  if (literals.length === variants.length && literals.length > 0) return `one of ${literals.join(', ')}`;
  const words = variants.map((v) => (v.const !== undefined ? literal(v) : typeWords(v)));
  return words.join(' or ');
}

const typeWords = (schema: Record<string, unknown>): string => {
  switch (schema.type) {
    case 'integer':
      return 'an integer';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    case 'null':
      return 'null';
    default:
      return typeof schema.type === 'string' ? `a ${schema.type}` : 'a value';
  }
};

/** Keywords a schema uses only for our error sentences; the published document leaves them out. */
export const ANNOTATION_KEYWORDS = ['errorMessage', 'errorParam', 'patternMessage', 'clientName'] as const;
