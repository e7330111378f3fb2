/**
 * A stand-in for an object that a `beforeAll` hook makes: a spec can name it
 * at the top of its `describe` and use it in its tests, which run after the
 * hook. Reading a property before `bind` fails with `what` in the message.
 * Only property reads are forwarded: the members themselves are the real
 * objects, so methods called on them run with the right `this`.
 */
export function lateBound<T extends object>(what: string): { value: T; bind(target: T | undefined): void } {
  let current: T | undefined;
  const value = new Proxy({} as T, {
    get(_stand_in, property) {
      if (!current) throw new Error(`${what} is not ready (did beforeAll fail?)`);
      return Reflect.get(current, property) as unknown;
    },
  });
  return {
    value,
    bind(target) {
      current = target;
    },
  };
}
