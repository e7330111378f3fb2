/**
 * The seeds a fuzz run starts from. Under CI (the runner sets `CI`), a fixed
 * list: a submission is never refused by a case no one has seen before.
 * Elsewhere a fresh one each run, so that every developer's run explores new
 * cases; `FUZZ_SEED` (one number, or several comma-separated) repeats a run.
 */
export const CI_SEEDS = [20261128, 1729, 424242] as const;

export function fuzzSeeds(env: NodeJS.ProcessEnv = process.env): number[] {
  const chosen = env.FUZZ_SEED?.trim();
  if (chosen) {
    const seeds = chosen.split(',').map((text) => Number(text.trim()));
    if (seeds.some((seed) => !Number.isSafeInteger(seed))) throw new Error(`FUZZ_SEED must be integers: ${chosen}`);
    return seeds;
  }
  if (env.CI) return [...CI_SEEDS];
  return [Date.now()];
}
