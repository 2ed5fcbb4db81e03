/**
 * The policy oracle's memos (issue 13, docs/benchmarks.md "Verify at the ceiling"): a memoised assessment
 * or split is reused only for exactly the same inputs, so no recomputed amount can come from another
 * decision's inputs. Each case is checked against a fresh oracle (no memo state) and the engine itself.
 */
import { decimal } from '@hz/money';
import { assess, fiscalSplit, HZ_CBEC_2023 } from '@hz/policy';
import type { DecisionRecompute, DecisionRecomputeInput } from './decision-oracle';
import { money, ORACLE_USCC as USCC, oracleInput } from '../testing/oracle-input';
import { policyDecisionOracle } from './policy-oracle';

/** The shared decision, with a grant of 400,000.00 of the same program and year before it. */
function input(overrides: Partial<DecisionRecomputeInput> = {}): DecisionRecomputeInput {
  return oracleInput({
    grantsBefore: [
      {
        claimId: `${USCC}-1`,
        programCode: 'c1-platform',
        supportYear: 2024,
        subjectKey: null,
        amount: money('400000.00'),
      },
    ],
    ...overrides,
  });
}

function recomputed(result: DecisionRecompute): Extract<DecisionRecompute, { kind: 'recomputed' }> {
  if (result.kind !== 'recomputed') throw new Error(`not recomputed: ${result.message}`);
  return result;
}

/** The amounts of a recompute as text, for exact comparison. */
interface Amounts {
  readonly ceiling: string;
  readonly ruleAmount: string;
  readonly granted: string;
  readonly cityShare: string;
  readonly districtShare: string;
}

function amounts(result: DecisionRecompute): Amounts {
  const r = recomputed(result);
  return {
    ceiling: r.ceiling.toString(),
    ruleAmount: r.ruleAmount.toString(),
    granted: r.caps
      .map((cap) => `${cap.capId}=${cap.granted.toString()}/${cap.cap.toString()}`)
      .join(','),
    cityShare: r.split.cityShare.toString(),
    districtShare: r.split.districtShare.toString(),
  };
}

describe('policyDecisionOracle memos', () => {
  it('a repeated decision gives what a fresh oracle gives (the memo hit)', () => {
    const oracle = policyDecisionOracle();
    const evidence = { platformName: 'Hangzhou Global Mall' };
    const first = amounts(oracle.recomputeApproval(input({ evidence })));
    const again = amounts(oracle.recomputeApproval(input({ evidence })));
    expect(again).toEqual(first);
    expect(first).toEqual(amounts(policyDecisionOracle().recomputeApproval(input())));
    expect(first.ceiling).toBe('600000.00'); // 1,000,000.00 a year, 400,000.00 granted before
    expect(first.granted).toContain('=400000.00/1000000.00');
  });

  it('recomputes when only an earlier grant amount changed (a tampered grant is not read from the memo)', () => {
    const oracle = policyDecisionOracle();
    const evidence = { platformName: 'Hangzhou Global Mall' };
    oracle.recomputeApproval(input({ evidence }));
    const grants = input().grantsBefore.map((grant) => ({ ...grant, amount: money('400000.01') }));
    const changed = amounts(oracle.recomputeApproval(input({ evidence, grantsBefore: grants })));
    expect(changed.ceiling).toBe('599999.99');
    expect(changed.granted).toContain('=400000.01/1000000.00');
    const engine = assess(
      HZ_CBEC_2023,
      {
        programCode: 'c1-platform',
        supportYear: 2024,
        requestedAmount: money('1000000.00'),
        evidence,
      },
      grants,
    );
    expect(changed.ceiling).toBe(engine.ceiling.toString());
  });

  /** A grant of another program than the claim's (c3-trademark), which assess does not read. */
  const grantOfAnotherProgram = () => ({
    claimId: `${USCC}-0`,
    programCode: 'c3-trademark',
    supportYear: 2024,
    subjectKey: null,
    amount: money('50000.00'),
  });

  it('reuses an assessment across a grant of another program, which assess does not read', () => {
    const oracle = policyDecisionOracle();
    const evidence = { platformName: 'Hangzhou Global Mall' };
    const first = oracle.recomputeApproval(input({ evidence }));
    const grantsBefore = [grantOfAnotherProgram(), ...input().grantsBefore];
    const again = oracle.recomputeApproval(input({ evidence, grantsBefore }));
    expect(amounts(again)).toEqual(amounts(first));
    expect(amounts(again)).toEqual(
      amounts(policyDecisionOracle().recomputeApproval(input({ evidence, grantsBefore }))),
    );
  });

  it('recomputes when a grant of the same program is added beside one of another program', () => {
    const oracle = policyDecisionOracle();
    const evidence = { platformName: 'Hangzhou Global Mall' };
    const elsewhere = grantOfAnotherProgram();
    oracle.recomputeApproval(input({ evidence, grantsBefore: [elsewhere] }));
    const grantsBefore = [elsewhere, ...input().grantsBefore];
    const changed = amounts(oracle.recomputeApproval(input({ evidence, grantsBefore })));
    expect(changed.ceiling).toBe('600000.00');
    expect(changed.granted).toContain('=400000.00/1000000.00');
  });

  it('recomputes when the requested amount changed but the claim and evidence are the same', () => {
    const oracle = policyDecisionOracle();
    const evidence = { platformName: 'Hangzhou Global Mall' };
    oracle.recomputeApproval(input({ evidence, grantsBefore: [] }));
    const lower = oracle.recomputeApproval(
      input({ evidence, grantsBefore: [], requestedAmount: money('700000.00') }),
    );
    expect(amounts(lower).ceiling).toBe('700000.00');
  });

  it('splits each amount as fiscalSplit does, one cent apart included', () => {
    const oracle = policyDecisionOracle();
    for (const text of ['600000.00', '600000.01', '600000.00', '0.01', '0.03']) {
      const result = amounts(
        oracle.recomputeApproval(input({ amount: money(text), amountText: text })),
      );
      const split = fiscalSplit(HZ_CBEC_2023, 'c1-platform', 'xihu', money(text));
      expect([text, result.cityShare, result.districtShare]).toEqual([
        text,
        split.cityShare.toString(),
        split.districtShare.toString(),
      ]);
      expect(decimal(result.cityShare).plus(decimal(result.districtShare)).toFixed(2)).toBe(text);
    }
  });

  it('never reuses a split for another amount, even under the same amount text', () => {
    const oracle = policyDecisionOracle();
    oracle.recomputeApproval(input({ amount: money('600000.00'), amountText: '600000.00' }));
    const other = amounts(
      oracle.recomputeApproval(input({ amount: money('500000.00'), amountText: '600000.00' })),
    );
    const split = fiscalSplit(HZ_CBEC_2023, 'c1-platform', 'xihu', money('500000.00'));
    expect(other.cityShare).toBe(split.cityShare.toString());
    expect(other.districtShare).toBe(split.districtShare.toString());
  });
});
