import { describe, expect, it } from '@jest/globals';
import { DenialException } from '@tollgate/errors';
import { geminiSchema } from './gemini-schema.js';

const param = 'tools[0].function.parameters';

function refusedAt(schema: unknown): string | undefined {
  try {
    geminiSchema(schema, param);
  } catch (error) {
    if (error instanceof DenialException) return error.denial.params?.param;
    throw error;
  }
  throw new Error('the schema was translated');
}

describe('gemini schema', () => {
  it('translates a Pydantic-style schema: $defs inlined, anyOf with null made nullable, titles kept', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Order',
      type: 'object',
      $defs: {
        Address: {
          title: 'Address',
          type: 'object',
          properties: { street: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
          required: ['street'],
          additionalProperties: false,
        },
      },
      properties: {
        shipping: { $ref: '#/$defs/Address', description: 'Where to ship' },
        billing: { anyOf: [{ $ref: '#/$defs/Address' }, { type: 'null' }], default: null },
        quantity: { type: 'integer', minimum: 1, maximum: 99, exclusiveMaximum: 100, multipleOf: 1 },
        placed: { type: 'string', format: 'date-time' },
        email: { type: 'string', format: 'email' },
        tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 5 },
        status: { const: 'open' },
        priority: { enum: [1, 2, 3], type: 'integer', examples: [2] },
      },
      required: ['shipping', 'quantity'],
    };
    expect(geminiSchema(schema, param)).toEqual({
      title: 'Order',
      type: 'OBJECT',
      properties: {
        shipping: {
          title: 'Address',
          type: 'OBJECT',
          description: 'Where to ship',
          properties: { street: { type: 'STRING' }, zip: { type: 'STRING', pattern: '^[0-9]{5}$' } },
          required: ['street'],
        },
        billing: {
          title: 'Address',
          type: 'OBJECT',
          nullable: true,
          default: null,
          properties: { street: { type: 'STRING' }, zip: { type: 'STRING', pattern: '^[0-9]{5}$' } },
          required: ['street'],
        },
        quantity: { type: 'INTEGER', minimum: 1, maximum: 99 },
        placed: { type: 'STRING', format: 'date-time' },
        email: { type: 'STRING' },
        tags: { type: 'ARRAY', items: { type: 'STRING' }, maxItems: 5 },
        status: { type: 'STRING', enum: ['open'] },
        priority: { type: 'INTEGER', enum: ['1', '2', '3'], example: 2 },
      },
      required: ['shipping', 'quantity'],
    });
  });

  it('keeps a real union as anyOf, and oneOf becomes anyOf', () => {
    expect(geminiSchema({ type: ['string', 'integer'] }, param)).toEqual({
      anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }],
    });
    expect(
      geminiSchema({ oneOf: [{ type: 'string' }, { type: 'object', properties: { id: { type: 'integer' } } }] }, param),
    ).toEqual({ anyOf: [{ type: 'STRING' }, { type: 'OBJECT', properties: { id: { type: 'INTEGER' } } }] });
  });

  it('inlines a one-member allOf and orders properties for structured output', () => {
    expect(
      geminiSchema(
        { allOf: [{ type: 'object', properties: { b: { type: 'string' }, a: { type: 'number' } } }], description: 'd' },
        'response_format.json_schema.schema',
        { orderProperties: true },
      ),
    ).toEqual({
      type: 'OBJECT',
      description: 'd',
      properties: { b: { type: 'STRING' }, a: { type: 'NUMBER' } },
      propertyOrdering: ['b', 'a'],
    });
  });

  it('refuses what Gemini cannot express, naming where it is', () => {
    expect(refusedAt({ type: 'object', properties: { x: { not: { type: 'string' } } } })).toBe(
      `${param}.properties.x.not`,
    );
    expect(refusedAt({ if: { type: 'string' }, then: { minLength: 1 } })).toBe(`${param}.if`);
    expect(refusedAt({ allOf: [{ type: 'object' }, { required: ['a'] }] })).toBe(`${param}.allOf`);
    expect(refusedAt({ type: 'array', items: [{ type: 'string' }, { type: 'number' }] })).toBe(`${param}.items`);
    expect(refusedAt({ type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } })).toBe(
      `${param}.properties.a.$ref`,
    );
    expect(refusedAt({ type: 'object', properties: { a: { $ref: '#/$defs/Missing' } } })).toBe(
      `${param}.properties.a.$ref`,
    );
    expect(refusedAt({ type: 'date' })).toBe(`${param}.type`);
    expect(refusedAt({ type: 'constructor' })).toBe(`${param}.type`);
    expect(refusedAt('object')).toBe(param);
  });

  it('refuses a recursive schema instead of inlining it forever', () => {
    const tree = {
      type: 'object',
      $defs: { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
      properties: { root: { $ref: '#/$defs/Node' } },
    };
    expect(refusedAt(tree)).toBe(`${param}.properties.root.$ref.properties.children.items.$ref`);
  });

  it('keeps a property named __proto__ as a property', () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}') as unknown;
    const properties = geminiSchema(schema, param).properties as Record<string, unknown>;
    expect(Object.keys(properties)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
  });

  it('refuses a schema nested past any real one', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 100; i++) deep = { type: 'array', items: deep };
    expect(refusedAt(deep)).toMatch(/^tools\[0\]\.function\.parameters(\.items)+$/);
  });
});
