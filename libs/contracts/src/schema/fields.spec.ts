import { describe, expect, it } from '@jest/globals';
import { Type } from '@tollgate/typebox';
import {
  ChannelId,
  CheckedOneByOne,
  Count,
  HttpStatus,
  IdempotencyKey,
  ImageSize,
  LIMITS,
  ModelMapping,
  normalizeIdempotencyKey,
  RowCursor,
  Tid,
} from './fields.js';
import { compile } from './validator.js';

describe('message field declarations', () => {
  it.each([
    ['Count', Count(), [0, 1, Number.MAX_SAFE_INTEGER], [-1, 1.5, '1', Number.MAX_SAFE_INTEGER + 2]],
    ['HttpStatus', HttpStatus(), [0, 200, 599], [-1, 1000, 200.5]],
    ['ChannelId', ChannelId(), [1, LIMITS.int4], [0, -1, LIMITS.int4 + 1, 1.5, '1']],
    ['Tid', Tid(), ['4bf92f3577b34da6a3ce929d0e0e4736', ''], ['x'.repeat(LIMITS.tidLength + 1), 7]],
    [
      'RowCursor',
      RowCursor(),
      ['1', '9'.repeat(LIMITS.bigintDigits)],
      ['', 'abc', '-1', '1'.repeat(LIMITS.bigintDigits + 1)],
    ],
    [
      'ImageSize',
      ImageSize(),
      ['*', '1024x1024', 'hd:1792x1024', 'x'.repeat(LIMITS.imageSizeLength)],
      ['1024X1024', 'big one', '', '-1', 'x'.repeat(LIMITS.imageSizeLength + 1)],
    ],
    [
      'ModelMapping',
      ModelMapping(),
      [{}, { 'gpt-4o': 'gpt-4o-2024-08-06' }],
      [
        { ' ': 'a' },
        { a: '' },
        { a: ' ' },
        { a: 1 },
        ['a'],
        { a: 'x'.repeat(LIMITS.nameLength + 1) },
        { a: 'b\u0000' },
        { 'a\u0000': 'b' },
      ],
    ],
    [
      'IdempotencyKey',
      IdempotencyKey(),
      [
        'invoice-42',
        'a b',
        'caf\u00e9',
        'cafe\u0301',
        '\u{1F600}',
        'k'.repeat(LIMITS.idempotencyKeyLength),
        // Decomposed, longer than its NFC form: the key as sent is within the limit too.
        'e\u0301'.repeat(LIMITS.idempotencyKeyLength / 2),
      ],
      [
        '',
        ' ',
        ' a',
        'a ',
        'a\u00a0',
        '\u3000a',
        'a\tb',
        'a\nb',
        'a\u007fb',
        'a\u0085b',
        'a\u0000',
        'lone-\ud800',
        'k'.repeat(LIMITS.idempotencyKeyLength + 1),
        'hold:1',
        'charge:x',
        // Within the limit as sent, over it in NFC: U+0958 becomes two characters.
        '\u0958'.repeat(LIMITS.idempotencyKeyLength),
        7,
      ],
    ],
  ])('%s accepts and refuses what it declares', (_name, schema, good, bad) => {
    const validator = compile(schema);
    for (const value of good) expect([value, validator.is(value)]).toEqual([value, true]);
    for (const value of bad) expect([value, validator.is(value)]).toEqual([value, false]);
  });

  it('normalises an idempotency key to Unicode NFC, so its spellings are one key', () => {
    expect(normalizeIdempotencyKey('cafe\u0301')).toBe('caf\u00e9');
    expect(normalizeIdempotencyKey('caf\u00e9')).toBe('caf\u00e9');
    expect(normalizeIdempotencyKey('\u212Aelvin')).toBe('Kelvin');
    expect(normalizeIdempotencyKey('invoice-42')).toBe('invoice-42');
  });

  it('leaves an item checked one by one to its receiver', () => {
    const batch = Type.Object({ rows: Type.Array(CheckedOneByOne(Type.Integer())) });
    expect(compile(batch).is({ rows: [1, 'two', null] })).toBe(true);
    expect(compile(batch).is({ rows: 'one' })).toBe(false);
  });

  it('names a model mapping as a whole when one of its entries is wrong', () => {
    const channel = Type.Object({ modelMapping: ModelMapping({ clientName: 'model_mapping' }) });
    expect(compile(channel).check({ modelMapping: { a: 1 } })).toEqual({
      ok: false,
      problem: {
        param: 'model_mapping',
        detail: `model_mapping must be an object from requested model name to upstream model name (1 to ${LIMITS.nameLength} characters)`,
      },
    });
  });
});
