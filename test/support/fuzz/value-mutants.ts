import fc from 'fast-check';
import { hostileValue, poison } from './hostile-values.js';

type Json = unknown;
type Location = (string | number)[];

/** Every place inside a JSON value, the value itself first. */
function locationsOf(value: Json, at: Location = []): Location[] {
  const inside =
    Array.isArray(value) && at.length < 8
      ? value.flatMap((item, index) => locationsOf(item, [...at, index]))
      : value !== null && typeof value === 'object' && at.length < 8
        ? Object.entries(value).flatMap(([key, item]) => locationsOf(item, [...at, key]))
        : [];
  return [at, ...inside];
}

function get(value: Json, at: Location): Json {
  return at.reduce<Json>((node, step) => (node as Record<string | number, Json>)[step], value);
}

/** A copy of `value` with the node at `at` replaced (or removed, when `next` is the `REMOVE` marker). */
function replaced(value: Json, at: Location, next: Json): Json {
  if (at.length === 0) return next === REMOVE ? undefined : next;
  const [step, ...rest] = at;
  if (Array.isArray(value)) {
    const copy: Json[] = [...value];
    if (rest.length === 0 && next === REMOVE) copy.splice(step as number, 1);
    else copy[step as number] = replaced(copy[step as number], rest, next);
    return copy;
  }
  const copy: Record<string, Json> = { ...(value as Record<string, Json>) };
  if (rest.length === 0 && next === REMOVE) delete copy[step];
  else copy[step] = replaced(copy[step], rest, next);
  return copy;
}
const REMOVE = Symbol('remove');

/** Every string inside a value, poisoned the same way: NUL and unpaired surrogates reach each field at once. */
function poisonEveryString(value: Json, character: string): Json {
  if (typeof value === 'string') return `${value.slice(0, 1)}${character}${value.slice(1)}`;
  if (Array.isArray(value)) return value.map((item) => poisonEveryString(item, character));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, poisonEveryString(item, character)]));
  }
  return value;
}

/**
 * One way to spoil a valid value, applied at the place `pick` selects:
 * a field of the wrong type (or a huge, fractional, negative-zero number, a
 * deep nest, hostile text), a required field removed, an unknown field
 * added, a character that storage refuses inserted into one string or into
 * all of them.
 */
type Mutation =
  | { kind: 'replace'; pick: number; value: Json }
  | { kind: 'remove'; pick: number }
  | { kind: 'extra-field'; pick: number; name: string; value: Json }
  | { kind: 'poison-one'; pick: number; character: string; position: number }
  | { kind: 'poison-all'; character: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace'), pick: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove'), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('extra-field'),
      pick: fc.nat(),
      name: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'unknown_field', ''), fc.string({ maxLength: 8 })),
      value: hostileValue,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('poison-one'), pick: fc.nat(), character: poison, position: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('poison-all'), character: poison }) },
);

function mutate(value: Json, change: Mutation): Json {
  if (change.kind === 'poison-all') return poisonEveryString(value, change.character);
  const everywhere = locationsOf(value);
  switch (change.kind) {
    case 'replace':
      return replaced(value, everywhere[change.pick % everywhere.length], change.value);
    case 'remove': {
      const inner = everywhere.slice(1);
      return inner.length === 0 ? undefined : replaced(value, inner[change.pick % inner.length], REMOVE);
    }
    case 'extra-field': {
      const objects = everywhere.filter((at) => {
        const node = get(value, at);
        return node !== null && typeof node === 'object' && !Array.isArray(node);
      });
      if (objects.length === 0) return value;
      const at = objects[change.pick % objects.length];
      // defineProperty, so that a `__proto__` field is an own key as JSON.parse would make it.
      const target = { ...(get(value, at) as Record<string, Json>) };
      Object.defineProperty(target, change.name, { value: change.value, enumerable: true, writable: true });
      return replaced(value, at, target);
    }
    case 'poison-one': {
      const strings = everywhere.filter((at) => typeof get(value, at) === 'string');
      if (strings.length === 0) return value;
      const at = strings[change.pick % strings.length];
      const text = get(value, at) as string;
      const cut = change.position % (text.length + 1);
      return replaced(value, at, `${text.slice(0, cut)}${change.character}${text.slice(cut)}`);
    }
  }
}

/** Values close to valid ones but wrong in one (or every) place: what the edge must refuse with a 400, not a 500. */
export function mutantOf(valid: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc.tuple(valid, mutation).map(([value, change]) => mutate(value, change));
}
