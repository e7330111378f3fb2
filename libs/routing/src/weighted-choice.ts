import type { RandomSource } from './random-source.js';

/** Picks one item with probability weight / total weight. `items` must not be empty. */
export function weightedChoice<T>(items: readonly T[], weightOf: (item: T) => number, random: RandomSource): T {
  let total = 0;
  for (const item of items) total += weightOf(item);
  let point = random() * total;
  for (const item of items) {
    point -= weightOf(item);
    if (point < 0) return item;
  }
  // Only reachable through floating-point rounding at the very top of the range.
  return items[items.length - 1];
}
