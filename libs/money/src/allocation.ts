import { powerOfTen, ScaledInteger, toScaledInteger } from './exact';
import { assertInvariant, Money, DecimalValue } from './money';

export interface AllocationShare<K extends string> {
  readonly key: K;
  readonly amount: Money;
}

/** Bounds the work of one allocation; policy plans have one row per district. */
export const ALLOCATION_WEIGHTS_MAX = 10_000;

/**
 * Largest-remainder allocation (docs/policy.md §2, §6): each key gets ROUND_DOWN(pool × weight / Σweights, 2);
 * the fen left over go one at a time to the largest remainders, ties broken by key ascending, so the
 * shares add up to the pool exactly. Keys with weight 0 get nothing and are left out.
 *
 * The arithmetic is on bigint: with Decimal the quotient would be rounded to 40 digits before the floor,
 * and remainders that differ only beyond that precision would compare equal.
 */
export function allocateLargestRemainder<K extends string>(
  pool: Money,
  weights: ReadonlyArray<{ readonly key: K; readonly weight: DecimalValue }>,
): Array<AllocationShare<K>> {
  if (weights.length > ALLOCATION_WEIGHTS_MAX)
    throw new RangeError(`allocation takes at most ${ALLOCATION_WEIGHTS_MAX} weights`);
  if (new Set(weights.map((entry) => entry.key)).size !== weights.length)
    throw new RangeError('allocation keys must be unique');
  const scaled = weights.map((entry) => ({
    key: entry.key,
    weight: toScaledInteger(entry.weight, `the weight of ${entry.key}`),
  }));
  const units = toCommonScale(scaled.map((entry) => entry.weight));
  const positive = scaled
    .map((entry, index) => ({ key: entry.key, units: units[index] as bigint }))
    .filter((entry) => entry.units > 0n);
  if (positive.length === 0) throw new RangeError('allocation needs at least one positive weight');
  const total = positive.reduce((sum, entry) => sum + entry.units, 0n);
  const poolFen = pool.toFen();
  const rows = positive.map((entry) => ({
    key: entry.key,
    fen: (poolFen * entry.units) / total,
    remainder: (poolFen * entry.units) % total,
  }));
  const leftover = poolFen - rows.reduce((sum, row) => sum + row.fen, 0n);
  // Each remainder is below `total`, so fewer fen are left over than there are rows: one each is enough.
  assertInvariant(
    leftover >= 0n && leftover < BigInt(rows.length),
    'allocation leftover must be below the number of rows',
  );
  const order = [...rows].sort(
    (a, b) => compareBigint(b.remainder, a.remainder) || compareKeys(a.key, b.key),
  );
  for (const row of order.slice(0, Number(leftover))) row.fen += 1n;
  return rows.map((row) => ({ key: row.key, amount: Money.fromFen(row.fen) }));
}

/** Brings weights to one power-of-ten denominator so their numerators can be added and compared. */
function toCommonScale(values: readonly ScaledInteger[]): bigint[] {
  const scale = Math.max(0, ...values.map((value) => value.scale));
  return values.map((value) => value.units * powerOfTen(scale - value.scale));
}

function compareBigint(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Keys are unique (checked above), so two keys are never equal here. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : 1;
}
