import fc from 'fast-check';

/** Deeper than any real body, shallow enough that JSON.parse still takes it. */
export const DEEP_NESTING_LEVELS = 2000;

/** `[[[…]]]`, `levels` deep, as a value (JSON.stringify writes it without recursion limits of its own). */
export function deeplyNested(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

/** Text that is valid JSON but that storage, logs and length checks handle badly. */
export const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'nul\u0000inside',
  '\ud800',
  'lone-\udfff-low',
  '\udbff\udbff',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '\u202eRTL override\u202c',
  'שלום עולם',
  'e\u0301\u0301\u0301\u0301\u0301',
  '\ufeffBOM',
  '\u2028\u2029',
  '\r\n\t\u001b[31m',
  '%00%zz%',
  '../../etc/passwd',
  "'; DROP TABLE users; --",
  '${jndi:ldap://127.0.0.1/a}',
  '__proto__',
  '1e308',
  '-0',
  'null',
  'x'.repeat(10_000),
  '𝒜'.repeat(3_000),
] as const;

/** Numbers at the edges of what JSON, JavaScript, int4 and bigint columns hold (NaN is not JSON). */
export const HOSTILE_NUMBERS = [
  0,
  -0,
  -1,
  0.5,
  1e-7,
  2_147_483_647,
  2_147_483_648,
  4_294_967_296,
  -4_294_967_296,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
] as const;

/** Any JSON value of the wrong kind for almost every field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.constantFrom(...HOSTILE_NUMBERS),
  // JSON.parse, unlike an object literal, makes `__proto__` an own key, as a request body would.
  fc.constantFrom(null, true, false, [], {}, [null], { '': null }, JSON.parse('{"__proto__":{"admin":true}}')),
  fc.constant(deeplyNested(DEEP_NESTING_LEVELS)),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Characters a string field is poisoned with, somewhere inside it. */
export const poison = fc.constantFrom('\u0000', '\ud800', '\udfff', '👩‍👩‍👧‍👦', '\u202e', 'e\u0301', '\ufeff');
