import { Money, MoneyDecimal, DecimalValue } from './money';

export interface AllocationShare<K extends string> {
  readonly key: K;
  readonly amount: Money;
}

/**
 * Largest-remainder allocation (policy-spec §2, §6): each key gets ROUND_DOWN(pool × weight / Σweights, 2);
 * the fen left over go one at a time to the largest remainders, ties broken by key ascending, so the
 * shares add up to the pool exactly. Keys with weight 0 get nothing and are left out.
 */
export function allocateLargestRemainder<K extends string>(
  pool: Money,
  weights: ReadonlyArray<{ readonly key: K; readonly weight: DecimalValue }>,
): Array<AllocationShare<K>> {
  const positive = weights.filter((entry) => entry.weight.greaterThan(0));
  if (positive.length === 0) throw new RangeError('allocation needs at least one positive weight');
  if (weights.some((entry) => entry.weight.isNegative())) throw new RangeError('allocation weights are never negative');
  const total = positive.reduce((sum, entry) => sum.plus(entry.weight), new MoneyDecimal(0));
  const poolFen = pool.toFen();
  const rows = positive.map((entry) => {
    const exactFen = new MoneyDecimal(poolFen.toString()).times(entry.weight).div(total);
    const floorFen = exactFen.floor();
    return { key: entry.key, fen: BigInt(floorFen.toFixed(0)), remainder: exactFen.minus(floorFen) };
  });
  let leftover = poolFen - rows.reduce((sum, row) => sum + row.fen, 0n);
  const order = [...rows].sort((a, b) => b.remainder.comparedTo(a.remainder) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const row of order) {
    if (leftover <= 0n) break;
    row.fen += 1n;
    leftover -= 1n;
  }
  if (leftover !== 0n) throw new Error('allocation invariant broken: leftover fen remain');
  return rows.map((row) => ({ key: row.key, amount: Money.fromFen(row.fen) }));
}
