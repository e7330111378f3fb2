import { describe, expect, it } from '@jest/globals';
import { Type } from '@tollgate/typebox';
import {
  BaseUrl,
  GroupName,
  IdempotencyKey,
  IpRange,
  LIMITS,
  Money,
  Name,
  NonZeroSignedMoney,
  Nullable,
  OneOf,
  PositiveMoney,
} from './fields.js';
import { compile, paramOf } from './validator.js';

const problemOf = (schema: Parameters<typeof compile>[0], value: unknown) => {
  const result = compile(schema).check(value);
  return result.ok ? null : result.problem;
};

describe(compile.name, () => {
  const body = Type.Object(
    {
      name: Type.String(),
      max_tokens: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
      role: Type.Optional(OneOf(['user', 'admin'])),
      timeouts: Type.Optional(
        Type.Object({ connect_ms: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      ),
      rows: Type.Optional(Type.Array(Type.Object({ amount: Money() }))),
      ranges: Type.Optional(Nullable(Type.Array(IpRange(), { errorParam: 'list' }))),
      messages: Type.Optional(
        Type.Array(
          Type.Object({ role: Type.String() }, { errorMessage: 'each message must be an object with a role' }),
          {
            minItems: 1,
            errorParam: 'list',
            errorMessage: '{param} must be a non-empty array',
          },
        ),
      ),
    },
    { additionalProperties: false },
  );

  it.each([
    [{}, 'name', 'name is required'],
    [{ name: 1 }, 'name', 'name must be a string'],
    [{ name: 'a', nmae: 'b' }, 'nmae', 'unknown field nmae'],
    [{ name: 'a', max_tokens: '5' }, 'max_tokens', 'max_tokens must be an integer'],
    [{ name: 'a', max_tokens: 0 }, 'max_tokens', 'max_tokens must be at least 1'],
    [{ name: 'a', role: 'emperor' }, 'role', "role must be one of 'user', 'admin'"],
    [{ name: 'a', timeouts: { connect_ms: 0 } }, 'timeouts.connect_ms', 'timeouts.connect_ms must be at least 1'],
    [{ name: 'a', timeouts: { connectMs: 1 } }, 'timeouts.connect_ms', 'timeouts.connect_ms is required'],
    [
      { name: 'a', rows: [{ amount: '1' }, { amount: '1.1234567' }] },
      'rows[1].amount',
      expect.stringContaining('rows[1].amount must be a non-negative decimal string'),
    ],
    [{ name: 'a', messages: 'hi' }, 'messages', 'messages must be a non-empty array'],
    [{ name: 'a', messages: [] }, 'messages', 'messages must be a non-empty array'],
    [{ name: 'a', messages: ['hi'] }, 'messages', 'each message must be an object with a role'],
    [{ name: 'a', messages: [{ content: 'x' }] }, 'messages', 'each message must be an object with a role'],
    [{ name: 'a', ranges: ['10.0.0/8'] }, 'ranges', expect.stringContaining('ranges must list IPv4 or IPv6')],
    [null, 'body', 'body must be an object'],
    [[], 'body', 'body must be an object'],
  ])('refuses %j naming %s', (value, param, detail) => {
    expect(problemOf(body, value)).toEqual({ param, detail });
  });

  it('accepts what the schema describes, null where a field is nullable', () => {
    expect(compile(body).check({ name: 'a', max_tokens: null, role: 'admin', messages: [{ role: 'user' }] })).toEqual({
      ok: true,
      value: { name: 'a', max_tokens: null, role: 'admin', messages: [{ role: 'user' }] },
    });
  });

  it("says a missing field is required, though the field's own sentence speaks for a wrong value", () => {
    const schema = Type.Object({
      input: Type.String({ minLength: 1, errorMessage: '{param} must be a non-empty string' }),
    });
    expect(problemOf(schema, {})).toEqual({ param: 'input', detail: 'input is required' });
    expect(problemOf(schema, { input: undefined })).toEqual({ param: 'input', detail: 'input is required' });
    expect(problemOf(schema, { input: '' })).toEqual({ param: 'input', detail: 'input must be a non-empty string' });
    expect(problemOf(schema, { input: null })).toEqual({ param: 'input', detail: 'input must be a non-empty string' });
  });

  it('writes a path the way the client spelled it', () => {
    expect(paramOf([])).toBe('body');
    expect(paramOf(['rows', '3', 'user_id'])).toBe('rows[3].user_id');
    expect(paramOf(['model_mapping', 'gpt/4'])).toBe('model_mapping.gpt/4');
  });

  it("lets a nullable field's own sentence speak for it", () => {
    const message = Type.Object({ budget: Type.Optional(Nullable(Money())) });
    expect(problemOf(message, { budget: '1.1234567' })).toEqual({
      param: 'budget',
      detail: 'budget must be a non-negative decimal string with at most 6 decimals, e.g. "12.50"',
    });
    expect(compile(message).check({ budget: null }).ok).toBe(true);
  });

  it('names a field that travels under another name as the client spelled it', () => {
    const message = Type.Object(
      {
        baseUrl: Type.String({ format: 'uri', clientName: 'base_url' }),
        timeouts: Type.Optional(
          Type.Object(
            { connectMs: Type.Integer({ minimum: 1, clientName: 'connect_ms' }) },
            { additionalProperties: false },
          ),
        ),
        ranges: Type.Optional(
          Nullable(Type.Array(IpRange()), {
            clientName: 'allowed_ip_ranges',
            errorParam: 'list',
            errorMessage: '{param} must be a list of IP ranges',
          }),
        ),
      },
      { additionalProperties: false },
    );
    expect(problemOf(message, { baseUrl: 'nope' })).toEqual({
      param: 'base_url',
      detail: 'base_url must be an http:// or https:// URL',
    });
    expect(problemOf(message, { baseUrl: 'https://a.example', timeouts: { connectMs: 0 } })).toEqual({
      param: 'timeouts.connect_ms',
      detail: 'timeouts.connect_ms must be at least 1',
    });
    expect(problemOf(message, { baseUrl: 'https://a.example', ranges: ['10.0.0/8'] })).toEqual({
      param: 'allowed_ip_ranges',
      detail: 'allowed_ip_ranges must be a list of IP ranges',
    });
    expect(problemOf(message, { baseUrl: 'https://a.example', base_url: 'x' })).toEqual({
      param: 'base_url',
      detail: 'unknown field base_url',
    });
  });
});

describe('field declarations', () => {
  it.each([
    [
      Money(),
      ['0', '12.5', '12.500000', '999999999999.999999'],
      ['-1', '1e3', '.5', '5.', '1.1234567', '1000000000000', ' 1', '+1', ''],
    ],
    [PositiveMoney(), ['0.000001', '12'], ['0', '0.000000', '-1']],
    [NonZeroSignedMoney(), ['-2.5', '3'], ['0', '-0', '-0.00', '--1']],
    [GroupName(), ['default', 'vip.eu-1', 'a_b'], ['', 'a b', 'x'.repeat(LIMITS.groupNameLength + 1)]],
    [
      IdempotencyKey(),
      ['k1', 'topup-2026-11-28'],
      ['', '   ', 'hold:1', 'charge:x', 'x'.repeat(LIMITS.idempotencyKeyLength + 1)],
    ],
    [
      Name(),
      ['a', 'Zoë 🙂', 'x'.repeat(LIMITS.nameLength)],
      ['', '  ', 'a\u0000b', 'lone-\ud800', 'lone-\udfff', '\udfff\ud800', 'x'.repeat(LIMITS.nameLength + 1)],
    ],
    [
      BaseUrl(),
      ['https://api.openai.com/v1', 'http://127.0.0.1:9090/v1'],
      ['ftp://x', 'https://u:p@x/v1', 'https://x/v1?a=1', 'https://x/v\u0000', 'https://x/v 1'],
    ],
    [IpRange(), ['10.0.0.0/8', '2001:db8::/32', '192.168.1.1'], ['10.0.0/8', 'not an ip', '10.0.0.0/33']],
  ])('%j accepts and refuses what it declares', (schema, good, bad) => {
    const validator = compile(schema);
    for (const value of good) expect([value, validator.is(value)]).toEqual([value, true]);
    for (const value of bad) expect([value, validator.is(value)]).toEqual([value, false]);
  });
});
