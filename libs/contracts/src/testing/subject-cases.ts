import { describe, expect, it } from '@jest/globals';
import type { TSchema } from '@tollgate/typebox';
import { compile } from '../schema/validator.js';
import type { ErrorAnnotations } from '../schema/validator.js';
import type { EventSubject, Subject } from '../subject.js';

type AnySubject = Subject<unknown, unknown> | EventSubject<unknown>;

/** A valid request (or event payload) for every subject of a group, typed by the subject. */
export type Examples<Group> = {
  [K in keyof Group]: Group[K] extends Subject<infer Request, unknown>
    ? Request
    : Group[K] extends EventSubject<infer Payload>
      ? Payload
      : never;
};

type Node = TSchema & ErrorAnnotations & Record<string, unknown>;

const schemaOf = (target: AnySubject): Node => ('request' in target ? target.request : target.payload);

/** How a refusal names a top-level field: as the client spells it (`''`: the field is the whole body). */
function paramFor(field: string, schema: Node): string {
  if (schema.clientName === undefined) return field;
  return schema.clientName === '' ? 'body' : schema.clientName;
}

/** A value of the wrong JSON type for `schema`, or undefined when it accepts any value. */
function wrongValueFor(schema: Node): unknown {
  if (Array.isArray(schema.anyOf)) {
    const variants = schema.anyOf as Node[];
    if (variants.every((variant) => variant.const !== undefined)) return 'none of the listed values';
    const other = variants.find((variant) => variant.type !== 'null');
    return other ? wrongValueFor(other) : 'not null';
  }
  if (schema.const !== undefined) return typeof schema.const === 'string' ? 12345 : 'not the constant';
  switch (schema.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not a number';
    case 'boolean':
      return 'yes';
    case 'array':
      return 'not a list';
    case 'object':
      return 'not an object';
    default:
      return undefined;
  }
}

/** The param a refusal of `value` names, or null when `schema` accepts it. */
export function refusedParam(schema: TSchema, value: unknown): string | null {
  const checked = compile(schema).check(value);
  return checked.ok ? null : checked.problem.param;
}

interface Case {
  what: string;
  payload: unknown;
  param: string;
}

/** Refusals worked out from the schema alone: not an object, an unknown field, each field missing or mistyped. */
function generatedCases(schema: Node, example: Record<string, unknown>): Case[] {
  const cases: Case[] = [{ what: 'not an object', payload: 'not an object', param: 'body' }];
  if (schema.additionalProperties === false) {
    cases.push({ what: 'an unknown field', payload: { ...example, unknownField: 1 }, param: 'unknownField' });
  }
  const properties = (schema.properties ?? {}) as Record<string, Node>;
  for (const field of (schema.required ?? []) as string[]) {
    const { [field]: _omitted, ...rest } = example;
    cases.push({ what: `no ${field}`, payload: rest, param: paramFor(field, properties[field]) });
  }
  for (const [field, property] of Object.entries(properties)) {
    const wrong = wrongValueFor(property);
    if (wrong === undefined) continue;
    cases.push({
      what: `${field} mistyped`,
      payload: { ...example, [field]: wrong },
      param: paramFor(field, property),
    });
  }
  return cases;
}

/**
 * For every subject of a group: its example is accepted, and the refusals
 * generated from its schema name the field at fault. A subject whose reply
 * is a Reply also accepts a denial as its answer.
 */
export function describeSubjects<Group extends Record<string, AnySubject>>(
  group: Group,
  examples: Examples<Group>,
): void {
  for (const [key, target] of Object.entries(group)) {
    describe(target.name, () => {
      const schema = schemaOf(target);
      const validator = compile(schema);
      const example = (examples as Record<string, unknown>)[key];

      it('accepts its example', () => {
        expect(validator.check(example)).toEqual({ ok: true, value: example });
      });

      const cases = generatedCases(schema, example as Record<string, unknown>);
      it.each(cases.map((c) => [c.what, c.param, c.payload] as const))(
        'refuses %s, naming %s',
        (_what, param, payload) => {
          const checked = validator.check(payload);
          expect(checked.ok ? null : checked.problem.param).toBe(param);
        },
      );

      if ('request' in target) {
        it(target.refuses ? 'answers a Reply, so a request can be refused' : 'answers a plain value', () => {
          const denial = { ok: false, denial: { reason: 'invalid_request', params: { param: 'p', detail: 'd' } } };
          expect(compile(target.reply).is(denial)).toBe(target.refuses);
        });
      }
    });
  }
}
