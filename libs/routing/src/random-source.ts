/** A number in [0, 1). Injected so that tests can make weighted choices deterministic. */
export type RandomSource = () => number;

export const mathRandom: RandomSource = () => Math.random();
