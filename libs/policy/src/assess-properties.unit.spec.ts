/** Properties of assess() over generated claims and grants (fast-check). */
import fc from 'fast-check';
import { Money } from '@hz/money';
import { catalog, CLAIMABLE_CODES, VALID_EVIDENCE } from '../testing/fixtures';
import type { ClaimDraft, EvidenceJson, GrantInScope } from './api';
import { assess } from './assess';

const amount = fc
  .bigInt({ min: 0n, max: 99_999_999_999n })
  .map((fen) => Money.fromFen(fen).toString());
const bigAmount = fc
  .bigInt({ min: 0n, max: 99_999_999_999_999n })
  .map((fen) => Money.fromFen(fen).toString());
const date = fc
  .integer({ min: Date.UTC(2022, 11, 1), max: Date.UTC(2027, 0, 31) })
  .map((time) => new Date(time).toISOString().slice(0, 10));
const subject = fc.constantFrom('W1', 'W2', 'W3', 'EXPO-1', 'EXPO-2', 'EV-1');

/** Evidence for a program with its amounts, dates and counts drawn at random; other fields as in the fixtures. */
function evidenceFor(code: string): fc.Arbitrary<EvidenceJson> {
  const base = VALID_EVIDENCE[code] as EvidenceJson;
  if ('items' in base) {
    const template = (base['items'] as EvidenceJson[])[0] as EvidenceJson;
    return fc
      .array(fc.record({ date, amount }), { minLength: 1, maxLength: 6 })
      .map((entries) => ({ items: entries.map((entry) => ({ ...template, ...entry })) }));
  }
  const overrides: { [code: string]: fc.Arbitrary<EvidenceJson> } = {
    'c2-service-provider': fc.record({
      servedEnterprises: fc.integer({ min: 0, max: 200 }),
      serviceRevenue: amount,
      priorYearServiceRevenue: amount,
    }),
    'c4-exhibition': fc.record({
      exhibitionId: subject,
      date,
      boothFee: amount,
      standardBoothFee: amount.filter((value) => value !== '0.00'),
    }),
    'c5-consolidation-warehouse': fc.record({
      warehouseId: subject,
      operatingAreaSqm: fc.constantFrom('2999.99', '3000', '3000.01', '50000'),
    }),
    'c5-logistics-revenue': fc.record({
      logisticsRevenue: bigAmount,
      operatingAreaSqm: fc.constantFrom('3000', '3000.01'),
    }),
    'c6-talent-event': fc.record({ eventId: subject, date }),
  };
  return (overrides[code] ?? fc.constant({})).map((fields) => ({ ...base, ...fields }));
}

const claim: fc.Arbitrary<ClaimDraft> = fc.constantFrom(...CLAIMABLE_CODES).chain((programCode) =>
  fc.record({
    programCode: fc.constant(programCode),
    supportYear: fc.integer({ min: 2022, max: 2027 }),
    requestedAmount: bigAmount.map((value) => Money.parse(value)),
    evidence: evidenceFor(programCode),
  }),
);

const grants: fc.Arbitrary<GrantInScope[]> = fc.array(
  fc.record({
    claimId: fc.string({ minLength: 1, maxLength: 6 }),
    programCode: fc.constantFrom(...CLAIMABLE_CODES),
    supportYear: fc.integer({ min: 2023, max: 2026 }),
    subjectKey: fc.option(subject, { nil: null }),
    amount: fc.bigInt({ min: 0n, max: 100_000_000n }).map((fen) => Money.fromFen(fen)),
  }),
  { maxLength: 6 },
);

describe('assess (properties)', () => {
  describe('Invariant 1: caps', () => {
    it('never lets the ceiling exceed the request, the rule amount or any room; 0.00 exactly when not eligible', () => {
      fc.assert(
        fc.property(claim, grants, (draft, granted) => {
          const assessment = assess(catalog, draft, granted);
          const { ceiling } = assessment;
          expect(ceiling.lessThanOrEqual(draft.requestedAmount)).toBe(true);
          expect(ceiling.lessThanOrEqual(assessment.ruleAmount)).toBe(true);
          for (const cap of assessment.caps) expect(ceiling.lessThanOrEqual(cap.room)).toBe(true);
          expect(assessment.eligible).toBe(assessment.refusals.length === 0);
          expect(ceiling.isPositive()).toBe(assessment.eligible);
          expect(assessment.trace.at(-1)).toMatchObject({
            step: 'ceiling',
            amount: ceiling.toString(),
          });
        }),
        { numRuns: 500 },
      );
    });
  });

  it('is deterministic and leaves its inputs untouched', () => {
    fc.assert(
      fc.property(claim, grants, (draft, granted) => {
        const before = JSON.stringify([draft, granted]);
        const first = assess(catalog, draft, granted);
        const second = assess(
          catalog,
          { ...draft, evidence: JSON.parse(JSON.stringify(draft.evidence)) },
          [...granted],
        );
        expect(JSON.stringify(first)).toBe(JSON.stringify(second));
        expect(JSON.stringify([draft, granted])).toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  it('untraced, gives every field the traced assessment gives but the trace, and builds no trace step', () => {
    // verify's decision recompute assesses untraced (libs/audit policy-oracle.ts, issue 13).
    fc.assert(
      fc.property(claim, grants, (draft, granted) => {
        const traced = assess(catalog, draft, granted);
        const untraced = assess(catalog, draft, granted, { trace: false });
        expect(JSON.stringify({ ...untraced, trace: null })).toBe(
          JSON.stringify({ ...traced, trace: null }),
        );
        expect(untraced.trace.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  describe('Invariant 1: caps', () => {
    it('counts only grants in scope: grants of other programs never change the assessment', () => {
      fc.assert(
        fc.property(claim, grants, (draft, granted) => {
          const elsewhere = granted.filter((grant) => grant.programCode !== draft.programCode);
          expect(JSON.stringify(assess(catalog, draft, elsewhere))).toBe(
            JSON.stringify(assess(catalog, draft, [])),
          );
        }),
        { numRuns: 200 },
      );
    });

    it('reads only the grants of the claim’s own program: the others left out, the assessment is the same', () => {
      // verify's oracle keeps an assessment by these grants alone (libs/audit policy-oracle.ts, issue 13).
      fc.assert(
        fc.property(claim, grants, grants, (draft, granted, more) => {
          const mixed = [
            ...granted,
            ...more.map((grant) => ({ ...grant, programCode: draft.programCode })),
          ];
          const own = mixed.filter((grant) => grant.programCode === draft.programCode);
          expect(JSON.stringify(assess(catalog, draft, own))).toBe(
            JSON.stringify(assess(catalog, draft, mixed)),
          );
        }),
        { numRuns: 300 },
      );
    });
  });
});
