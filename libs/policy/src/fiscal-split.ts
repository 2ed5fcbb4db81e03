import { Money, assertInvariant } from '@hz/money';
import type { FiscalSplit } from './api';
import type { PolicyCatalog } from './catalog-types';
import { PolicyError } from './errors';
import { findDistrict, requireProgram } from './registry';

/**
 * Who pays an approved amount (docs/policy.md §4, clause 十一): city-funded programs (clauses 六, 七, 九)
 * 100% city; the others by the district's group, city = ROUND_HALF_UP(amount × cityRate, 2) and the
 * district the rest, so the two parts always add up to the amount. The district is the applicant's at
 * the moment of the decision; the caller records the result in the approval event.
 */
export function fiscalSplit(
  catalog: PolicyCatalog,
  programCode: string,
  district: string,
  amount: Money,
): FiscalSplit {
  const program = requireProgram(catalog, programCode);
  const definition = findDistrict(catalog, district);
  if (!definition)
    throw new PolicyError('POLICY.DISTRICT_UNKNOWN', `no district "${district}" in ${catalog.id}`, {
      district,
    });
  if (program.funding === 'city') {
    return {
      funding: 'city',
      district,
      districtGroup: null,
      cityRate: '1',
      cityShare: amount,
      districtShare: Money.ZERO,
    };
  }
  const cityShare = amount.timesRoundHalfUp(definition.cityRate);
  const districtShare = amount.minus(cityShare);
  assertInvariant(
    cityShare.plus(districtShare).equals(amount),
    'the shares of a split add up to the amount',
  );
  return {
    funding: 'split',
    district,
    districtGroup: definition.group,
    cityRate: definition.cityRate,
    cityShare,
    districtShare,
  };
}
