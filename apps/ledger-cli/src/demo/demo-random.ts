/**
 * A small seeded PRNG (mulberry32) for the demo: the same seed gives the same ledger, byte for byte, so
 * dashboards, exports and benchmarks can be compared across runs. Not for anything secret.
 */
export class DemoRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A child generator, so one applicant's choices do not shift when another's change. */
  static forKey(seed: number, key: string): DemoRandom {
    let hash = seed >>> 0;
    for (let index = 0; index < key.length; index += 1)
      hash = Math.imul(hash ^ key.charCodeAt(index), 0x5bd1e995) >>> 0;
    return new DemoRandom(hash ^ (hash >>> 15));
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** A whole-yuan amount in [minYuan, maxYuan] as a 2-digit money string (integers, so no float money). */
  yuan(minYuan: number, maxYuan: number, stepYuan = 100): string {
    const steps = Math.floor((maxYuan - minYuan) / stepYuan);
    return `${minYuan + this.int(0, steps) * stepYuan}.00`;
  }
}
