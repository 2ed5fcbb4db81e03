import { allocateLargestRemainder, DecimalValue, Money } from '@hz/money';
import type { DistrictAllocation } from './api';
import type { PolicyCatalog } from './catalog-types';
import { PolicyError } from './errors';
import { isKnownDistrict } from './registry';

export interface DistrictScore {
  readonly district: string;
  readonly score: DecimalValue;
}

/**
 * An allocation plan of clause 九 (docs/policy.md §6): the pool is shared among districts by score, each
 * ROUND_DOWN to the fen and the fen left over to the largest remainders (ties by district code), so the
 * allocations add up to the pool. Only districts with a positive score get an allocation, in input order.
 */
export function allocate(
  catalog: PolicyCatalog,
  pool: Money,
  scores: readonly DistrictScore[],
): DistrictAllocation[] {
  const seen = new Set<string>();
  for (const { district, score } of scores) {
    if (!isKnownDistrict(catalog, district))
      throw new PolicyError(
        'POLICY.DISTRICT_UNKNOWN',
        `no district "${district}" in ${catalog.id}`,
        { district },
      );
    if (seen.has(district))
      throw new PolicyError(
        'POLICY.ALLOCATION_DUPLICATE_DISTRICT',
        `district "${district}" appears twice`,
        { district },
      );
    // lessThan, not isNegative: a negative zero is a zero score.
    if (score.lessThan(0))
      throw new PolicyError(
        'POLICY.ALLOCATION_NEGATIVE_SCORE',
        `the score of "${district}" is negative`,
        { district, score: score.toString() },
      );
    seen.add(district);
  }
  const positive = scores.filter((entry) => entry.score.greaterThan(0));
  if (positive.length === 0)
    throw new PolicyError(
      'POLICY.ALLOCATION_NO_POSITIVE_SCORE',
      'an allocation needs at least one positive score',
    );
  const shares = allocateLargestRemainder(
    pool,
    positive.map((entry) => ({ key: entry.district, weight: entry.score })),
  );
  return positive.map((entry, index) => ({
    district: entry.district,
    score: entry.score,
    amount: (shares[index] as { amount: Money }).amount,
  }));
}
