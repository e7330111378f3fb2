import { describe, expect, it } from '@jest/globals';
import { findDuplicateJsonKey } from './duplicate-json-key.js';

const sut = (json: string): string | null => {
  JSON.parse(json); // the scanner only ever sees bodies JSON.parse accepted
  return findDuplicateJsonKey(Buffer.from(json, 'utf8'));
};

describe(findDuplicateJsonKey.name, () => {
  it('finds a top-level key given twice', () => {
    expect(sut('{"model":"cheap","model":"dear"}')).toBe('model');
    expect(sut('{ "model" : "cheap" ,\n\t"stream": true, "model": "dear" }')).toBe('model');
  });

  it('accepts a body whose keys are all different, and bodies without objects', () => {
    expect(sut('{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":false}')).toBeNull();
    expect(sut('[1,2,"model","model"]')).toBeNull();
    expect(sut('"model"')).toBeNull();
    expect(sut('{}')).toBeNull();
  });

  it('names a duplicate inside an array of objects with its index', () => {
    const body = '{"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","role":"system"}]}';
    expect(sut(body)).toBe('messages[1].role');
  });

  it('names a duplicate in nested objects and arrays', () => {
    const body = JSON.stringify({ tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] }).replace(
      '"parameters":{}',
      '"parameters":{"type":"object","type":"string"}',
    );
    expect(sut(body)).toBe('tools[0].function.parameters.type');
    expect(sut('[[{"a":1}],[{"b":1,"b":2}]]')).toBe('[1][0].b');
  });

  it('keeps the keys of sibling objects apart: the same key in two objects is no duplicate', () => {
    expect(sut('{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}')).toBeNull();
    expect(sut('{"a":{"a":{"a":1}}}')).toBeNull();
  });

  it('compares keys after unescaping, as JSON.parse does', () => {
    expect(sut('{"model":"cheap","mo\\u0064el":"dear"}')).toBe('model');
    expect(sut('{"\\u006dodel":"cheap","model":"dear"}')).toBe('model');
    expect(sut('{"a\\"b":1,"a\\u0022b":2}')).toBe('a"b');
    expect(sut('{"\\ud83d\\ude00":1,"😀":2}')).toBe('😀');
  });

  it('tells keys that differ only by an escaped character apart', () => {
    expect(sut('{"a\\\\":1,"a":2}')).toBeNull();
    expect(sut('{"a\\nb":1,"anb":2}')).toBeNull();
  });

  it('ignores what looks like keys inside strings', () => {
    expect(sut('{"content":"{\\"model\\":1,\\"model\\":2}","model":"m"}')).toBeNull();
    expect(sut('{"content":"a \\\\","model":"m"}')).toBeNull();
    expect(sut('{"content":"} ] , { [","model":"m","x":"\\\\\\"","y":1}')).toBeNull();
  });

  it('sees a duplicate that follows values of every kind', () => {
    expect(sut('{"a":1.5e3,"b":null,"c":true,"d":[],"e":{},"f":"s","a":0}')).toBe('a');
  });

  it('scans a large body to its end', () => {
    const messages = Array.from({ length: 2_000 }, (_, i) => ({ role: 'user', content: `${i} ${'x'.repeat(1_000)}` }));
    const clean = JSON.stringify({ model: 'm', messages, input: Array.from({ length: 100_000 }, (_, i) => i) });
    expect(sut(clean)).toBeNull();
    expect(sut(clean.replace(/}$/, ',"model":"dear"}'))).toBe('model');
    expect(sut(clean.replace('"content":"1999 ', '"content":"1999 ","content":"'))).toBe('messages[1999].content');
  });
});
