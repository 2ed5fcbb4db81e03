/** Deterministic randomness for generators: a seeded PRNG, or a fixed list of choices (fast-check shrinks those). */
export interface RandomSource {
  /** An integer in [0, bound). */
  int(bound: number): number;
}

/** mulberry32: tiny, fast and good enough for test data; the same seed always gives the same ledger. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    int(bound: number): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return Math.floor(unit * bound);
    },
  };
}

/** Replays `choices` (cycling, then a seeded tail) so that a property test can shrink a scenario. */
export function choiceRandom(choices: readonly number[], seed = 1): RandomSource {
  const tail = seededRandom(seed);
  let index = 0;
  return {
    int(bound: number): number {
      const choice = index < choices.length ? choices[index] : undefined;
      index += 1;
      return choice === undefined ? tail.int(bound) : Math.abs(choice) % bound;
    },
  };
}

export function pick<T>(random: RandomSource, items: readonly T[]): T {
  const item = items[random.int(items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}
