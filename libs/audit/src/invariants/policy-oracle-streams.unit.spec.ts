/**
 * The policy oracle as verify's stream-by-stream pass drives it (issue 13): the assessment memo is let go
 * at each stream's end, the catalogs are found by policy id and hash, and the splits are kept by catalog
 * then by program, district and amount. None of it may change a recomputed amount: each answer is held to
 * a fresh oracle's (no memo state).
 */
import type { DecisionRecompute } from './decision-oracle';
import { policyDecisionOracle } from './policy-oracle';
import { money, oracleInput as input } from '../testing/oracle-input';

/** Every amount and verdict of a recompute as text. */
function text(result: DecisionRecompute): string {
  if (result.kind !== 'recomputed') return `${result.kind} ${result.code}`;
  return [
    result.eligible,
    result.scopeKind,
    result.ruleAmount.toString(),
    result.ceiling.toString(),
    ...result.caps.map((cap) => `${cap.capId}=${cap.granted.toString()}/${cap.cap.toString()}`),
    result.split.cityShare.toString(),
    result.split.districtShare.toString(),
    result.split.cityRate,
    result.split.districtGroup,
  ].join(' ');
}

describe('the policy oracle in the stream-by-stream pass', () => {
  it('answers after a stream is released as a fresh oracle does, for the same claim and another', () => {
    const oracle = policyDecisionOracle();
    const evidence = { platformName: 'Hangzhou Global Mall' };
    const before = text(oracle.recomputeApproval(input({ evidence })));
    oracle.releaseStream?.();
    expect(text(oracle.recomputeApproval(input({ evidence })))).toBe(before);
    const lower = input({ evidence, requestedAmount: money('300000.00') });
    expect(text(oracle.recomputeApproval(lower))).toBe(
      text(policyDecisionOracle().recomputeApproval(lower)),
    );
    expect(before).toBe(text(policyDecisionOracle().recomputeApproval(input())));
  });

  it('an unknown catalog hash or policy id is not recomputable; the known catalog still is', () => {
    const oracle = policyDecisionOracle();
    for (const unknown of [
      input({ catalogHash: '0'.repeat(64) }),
      input({ policyId: 'no-such-policy' }),
      input({ catalogHash: '0'.repeat(64) }),
    ])
      expect(text(oracle.recomputeApproval(unknown))).toBe(
        'not-recomputable DECISION.UNKNOWN_CATALOG',
      );
    expect(text(oracle.recomputeApproval(input()))).toBe(
      text(policyDecisionOracle().recomputeApproval(input())),
    );
  });

  it('splits stay exact past the bound of the split memo, in another district and program too', () => {
    const oracle = policyDecisionOracle();
    const fresh = policyDecisionOracle();
    // More distinct amounts than the memo keeps (4096), then amounts it held before it was cleared.
    const cents = [...Array.from({ length: 4200 }, (_, index) => index + 1), 7, 4199, 4200];
    for (const cent of cents) {
      const amountText = (100000 + cent / 100).toFixed(2);
      const decision = input({ amount: money(amountText), amountText });
      expect(text(oracle.recomputeApproval(decision))).toBe(
        text(fresh.recomputeApproval(decision)),
      );
      if (cent % 1000 === 0) fresh.releaseStream?.();
    }
    for (const district of ['xihu', 'shangcheng', 'xihu'])
      for (const programCode of ['c1-platform', 'c3-trademark']) {
        const decision = input({ district, programCode });
        expect(text(oracle.recomputeApproval(decision))).toBe(
          text(policyDecisionOracle().recomputeApproval(decision)),
        );
      }
  });
});
