/**
 * The invariant fold as given events → then findings, with the real policy engine as the oracle
 * (no mocks of our own code). Claims are c6-incubation (annual, 10000.00 a year, 100% city).
 */
import type { JsonObject, RecordedEvent } from '@hz/event-store';
import { HZ_CBEC_2023 } from '@hz/policy';
import type { DecisionOracle, DecisionRecomputeInput } from './decision-oracle';
import { FindingSink } from './findings';
import { InvariantChecker } from './invariant-checker';
import { policyDecisionOracle } from './policy-oracle';

const USCC = '91330100MA27XYZ12A';
let position = 0n;

function event(type: string, data: JsonObject, actor = 'someone'): RecordedEvent {
  position += 1n;
  return {
    id: `e-${position}`,
    type,
    data,
    streamId: `applicant-${USCC}`,
    revision: position - 1n,
    position,
    metadata: {
      actor,
      role: 'x',
      correlationId: 'c',
      causationId: 'c',
      idempotencyKey: `k${position}`,
      occurredAt: '2024-09-01T00:00:00Z',
      recordedAt: '2024-09-01T00:00:00Z',
      hash: '0'.repeat(64),
      prevHash: '0'.repeat(64),
    },
  };
}

const registered = (district = 'xihu') =>
  event('ApplicantRegistered', { uscc: USCC, name: 'Co', district });
const submitted = (n: number) =>
  event('ClaimSubmitted', {
    claimId: `${USCC}-${n}`,
    applicant: USCC,
    programCode: 'c6-incubation',
    supportYear: 2024,
    subjectKey: null,
    scopeKey: 'annual:c6-incubation:2024',
    requestedAmount: '10000.00',
    evidence: { incubationProject: 'Incubator' },
    policyId: HZ_CBEC_2023.id,
    catalogHash: HZ_CBEC_2023.hash,
    assessment: {
      eligible: true,
      base: null,
      ruleAmount: '10000.00',
      ceiling: '10000.00',
      caps: [],
      trace: [],
    },
  });
const approved = (
  n: number,
  overrides: Partial<Record<string, unknown>> = {},
  actor = 'reviewer-1',
) =>
  event(
    'ClaimApproved',
    {
      claimId: `${USCC}-${n}`,
      amount: '10000.00',
      reasons: [],
      approvedBy: actor,
      policyId: HZ_CBEC_2023.id,
      catalogHash: HZ_CBEC_2023.hash,
      ruleAmount: '10000.00',
      ceiling: '10000.00',
      capsBefore: [],
      countersignRequired: false,
      countersignThreshold: '500000.00',
      split: {
        funding: 'city',
        district: 'xihu',
        districtGroup: null,
        cityRate: '1',
        cityShare: '10000.00',
        districtShare: '0.00',
      },
      ...overrides,
    } as JsonObject,
    actor,
  );
const paid = (n: number, amount: string, reference: string, actor = 'finance-1') =>
  event(
    'DisbursementRecorded',
    {
      claimId: `${USCC}-${n}`,
      funder: 'city',
      district: 'xihu',
      amount,
      paymentRef: reference,
      paidAt: '2024-11-01',
    },
    actor,
  );

function check(events: readonly RecordedEvent[]): string[] {
  const sink = new FindingSink();
  const checker = new InvariantChecker(sink, policyDecisionOracle());
  for (const item of events) checker.apply(item);
  return sink.findings.map((finding) => `${finding.check}:${finding.code}`);
}

describe('InvariantChecker', () => {
  it('finds nothing in a lawful history', () => {
    expect(
      check([
        registered(),
        submitted(1),
        approved(1),
        paid(1, '4000.00', 'P1'),
        paid(1, '6000.00', 'P2'),
      ]),
    ).toEqual([]);
  });

  describe('Invariant 1: caps', () => {
    it('reports a cap exceeded at the moment of the second approval', () => {
      const findings = check([registered(), submitted(1), submitted(2), approved(1), approved(2)]);
      expect(findings).toContain('annual-cap:CAP.EXCEEDED');
      expect(findings).toContain('decision-recompute:DECISION.ABOVE_RECOMPUTED_CEILING');
    });
  });

  describe('Invariant 3: split', () => {
    it('reports shares that do not add up to the amount', () => {
      const split = {
        funding: 'city',
        district: 'xihu',
        districtGroup: null,
        cityRate: '1',
        cityShare: '9999.99',
        districtShare: '0.00',
      };
      expect(check([registered(), submitted(1), approved(1, { split })])).toContain(
        'split-sum:SPLIT.NOT_SUMMING',
      );
    });
  });

  describe('Invariant 4: payments', () => {
    it('reports paying more than the share, and a reference used twice', () => {
      expect(check([registered(), submitted(1), approved(1), paid(1, '10000.01', 'P1')])).toEqual([
        'paid-within-share:PAYMENT.EXCEEDS_SHARE',
      ]);
      expect(
        check([
          registered(),
          submitted(1),
          approved(1),
          paid(1, '1.00', 'P1'),
          paid(1, '1.00', 'P1'),
        ]),
      ).toEqual(['unique-reference:REFERENCE.REUSED']);
    });
  });

  it('reports separation-of-duties breaches', () => {
    expect(
      check([registered(), submitted(1), approved(1), paid(1, '1.00', 'P1', 'reviewer-1')]),
    ).toEqual(['lifecycle:SOD.DISBURSER_DECIDED']);
  });

  describe('Invariant 2: ceiling', () => {
    it('reports a decision under a catalog version this build does not know', () => {
      expect(
        check([registered(), submitted(1), approved(1, { catalogHash: 'f'.repeat(64) })]),
      ).toEqual(['decision-recompute:DECISION.UNKNOWN_CATALOG']);
    });
  });

  describe('Invariant 3: split', () => {
    it('reports a split that names another district than the one registered at the decision', () => {
      const relocated = event('ApplicantRelocated', {
        uscc: USCC,
        fromDistrict: 'xihu',
        toDistrict: 'xiaoshan',
        effectiveDate: '2024-08-01',
      });
      expect(check([registered(), relocated, submitted(1), approved(1)])).toContain(
        'decision-recompute:DECISION.SPLIT_DISTRICT_MISMATCH',
      );
    });
  });

  describe('the recompute of a submission (issue 13)', () => {
    it('reports a submission whose registered district the catalog does not know as not recomputable', () => {
      const sink = new FindingSink();
      const checker = new InvariantChecker(sink, policyDecisionOracle());
      for (const item of [registered('atlantis'), submitted(1)]) checker.apply(item);
      expect(sink.findings.map((finding) => `${finding.code} ${finding.message}`)).toEqual([
        'DECISION.NOT_RECOMPUTABLE submission: POLICY.DISTRICT_UNKNOWN: no district "atlantis" in hz-cbec-2023',
      ]);
    });

    it('asks the split of no requested amount: the submission check reads the assessment alone', () => {
      // The real oracle answers; this one only records what it was asked.
      const oracle = policyDecisionOracle();
      const asked: DecisionRecomputeInput[] = [];
      const recording: DecisionOracle = {
        recomputeApproval: (input) => (asked.push(input), oracle.recomputeApproval(input)),
        recomputeAllocation: (input) => oracle.recomputeAllocation(input),
      };
      const sink = new FindingSink();
      const checker = new InvariantChecker(sink, recording);
      for (const item of [registered(), submitted(1), approved(1)]) checker.apply(item);
      expect(sink.findings).toEqual([]);
      expect(asked.map((input) => `${input.amount.toString()} ${input.amountText}`)).toEqual([
        '0.00 0.00',
        '10000.00 10000.00',
      ]);
    });
  });

  it('reports a malformed amount instead of crashing', () => {
    expect(check([registered(), submitted(1), approved(1), paid(1, '1e3', 'P1')])).toEqual([
      'lifecycle:EVENT.MALFORMED',
    ]);
  });
});
