/**
 * A decision the policy oracle is asked to recompute, for the oracle's specs: an approval of 600,000.00 of
 * a c1-platform claim (support year 2024, Xihu district) under hz-cbec-2023, with no grants before unless
 * the overrides give some (libs/audit/src/invariants/policy-oracle*.unit.spec.ts).
 */
import { Money } from '@hz/money';
import { HZ_CBEC_2023 } from '@hz/policy';
import type { DecisionRecomputeInput } from '../invariants/decision-oracle';

export const ORACLE_USCC = '91330100MA27XYZ12A';

export const money = (text: string): Money => Money.parse(text);

export function oracleInput(
  overrides: Partial<DecisionRecomputeInput> = {},
): DecisionRecomputeInput {
  return {
    policyId: HZ_CBEC_2023.id,
    catalogHash: HZ_CBEC_2023.hash,
    claimId: `${ORACLE_USCC}-2`,
    applicant: ORACLE_USCC,
    programCode: 'c1-platform',
    supportYear: 2024,
    requestedAmount: money('1000000.00'),
    evidence: { platformName: 'Hangzhou Global Mall' },
    grantsBefore: [],
    district: 'xihu',
    amount: money('600000.00'),
    amountText: '600000.00',
    decidedAt: '2024-09-01T00:00:00+08:00',
    ...overrides,
  };
}
