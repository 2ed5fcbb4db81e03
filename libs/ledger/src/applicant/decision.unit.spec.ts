import { Money } from '@hz/money';
import { applicantDecider } from './decider';
import { deciderSpecification } from '../testing/decider-specification';
import {
  approve,
  asAdmin,
  asFinance,
  asReviewer,
  BINJIANG_CO,
  claimOf,
  CONTEXT,
  countersign,
  historyOf,
  register,
  revoke,
  REVIEWER,
  SECOND_REVIEWER,
  submit,
  XIAOSHAN_CO,
} from '../testing/fixtures';
import type { ApplicantCommand } from '../commands';
import type { ApplicantEvent } from '../events';

const spec = deciderSpecification(applicantDecider, CONTEXT);
const first = claimOf(XIAOSHAN_CO, 1);
const second = claimOf(XIAOSHAN_CO, 2);
const reject = (claimId: string, reasons: readonly string[]): ApplicantCommand => ({
  type: 'DecideClaim',
  data: { claimId, outcome: 'reject', reasons },
  metadata: asReviewer(),
});
const flag = (): ApplicantCommand => ({
  type: 'RaiseIntegrityFlag',
  data: { uscc: XIAOSHAN_CO, reason: 'dishonest' },
  metadata: asAdmin(),
});
const countersignReject = (
  claimId: string,
  reasons: readonly string[],
  actor = SECOND_REVIEWER,
): ApplicantCommand => ({
  type: 'CountersignApproval',
  data: { claimId, outcome: 'reject', reasons },
  metadata: asReviewer(actor),
});
const trademarkClaim = () =>
  historyOf(register(XIAOSHAN_CO, 'xiaoshan'), submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'));
/** Two open c1-platform claims for 2024 asking 900,000.00 each: together above the 1,000,000.00 annual cap. */
const twoPlatformClaims = (...more: ApplicantCommand[]): ApplicantEvent[] =>
  historyOf(
    register(XIAOSHAN_CO, 'xiaoshan'),
    submit(XIAOSHAN_CO, 'c1-platform', '900000.00'),
    submit(XIAOSHAN_CO, 'c1-platform', '900000.00'),
    ...more,
  );

describe('DecideClaim: approve', () => {
  describe('Invariant 3: split', () => {
    it('worked example 1: c3-trademark in xiaoshan, 200,000.00 → city 50,000.00 / district 150,000.00', () => {
      spec
        .given(trademarkClaim())
        .when(approve(first, '200000.00'))
        .then([
          {
            type: 'ClaimApproved',
            data: {
              claimId: first,
              amount: '200000.00',
              reasons: [],
              approvedBy: REVIEWER,
              policyId: 'hz-cbec-2023',
              catalogHash: CONTEXT.catalog.hash,
              ruleAmount: '210000.00',
              ceiling: '200000.00',
              capsBefore: [
                {
                  capId: 'one-time:c3-trademark',
                  clause: '二(三)',
                  cap: '200000.00',
                  granted: '0.00',
                  room: '200000.00',
                },
              ],
              countersignRequired: false,
              countersignThreshold: '500000.00',
              split: {
                funding: 'split',
                district: 'xiaoshan',
                districtGroup: 'B',
                cityRate: '0.25',
                cityShare: '50000.00',
                districtShare: '150000.00',
              },
            },
          },
        ]);
    });
  });

  it('worked example 4: c6-talent-event in binjiang, 150,000.00 → all city', () => {
    spec
      .given(
        historyOf(
          register(BINJIANG_CO, 'binjiang'),
          submit(BINJIANG_CO, 'c6-talent-event', '200000.00'),
        ),
      )
      .when(approve(claimOf(BINJIANG_CO, 1), '150000.00'))
      .thenMatches([
        {
          data: {
            split: {
              funding: 'city',
              district: 'binjiang',
              districtGroup: null,
              cityRate: '1',
              cityShare: '150000.00',
              districtShare: '0.00',
            },
          },
        },
      ]);
  });

  describe('Invariant 3: split', () => {
    it('worked example 5: 0.01 in a group-B district → city 0.00 / district 0.01', () => {
      spec
        .given(
          historyOf(
            register(XIAOSHAN_CO, 'xiaoshan'),
            submit(XIAOSHAN_CO, 'c1-platform', '100.00'),
          ),
        )
        .when(approve(first, '0.01'))
        .thenMatches([
          {
            data: {
              amount: '0.01',
              split: { districtGroup: 'B', cityShare: '0.00', districtShare: '0.01' },
            },
          },
        ]);
    });
  });

  it('splits with the district in force at the decision, i.e. after a relocation', () => {
    const relocated = historyOf(
      register(XIAOSHAN_CO, 'xiaoshan'),
      submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
      {
        type: 'RelocateApplicant',
        data: { uscc: XIAOSHAN_CO, district: 'binjiang', effectiveDate: '2024-06-01' },
        metadata: asAdmin(),
      },
    );
    spec
      .given(relocated)
      .when(approve(first, '200000.00'))
      .thenMatches([
        {
          data: {
            split: {
              district: 'binjiang',
              districtGroup: 'A',
              cityRate: '0.5',
              cityShare: '100000.00',
              districtShare: '100000.00',
            },
          },
        },
      ]);
  });

  it('keeps reasons, trimmed and without blanks', () => {
    spec
      .given(trademarkClaim())
      .when({
        ...approve(first, '1000.00'),
        data: { claimId: first, outcome: 'approve', amount: '1000.00', reasons: [' ok ', ' '] },
      })
      .thenMatches([{ data: { reasons: ['ok'] } }]);
  });

  it('waits for a countersignature at the threshold (500,000.00) and above', () => {
    spec
      .given(twoPlatformClaims())
      .when(approve(first, '500000.00'))
      .thenMatches([{ data: { countersignRequired: true, countersignThreshold: '500000.00' } }]);
    spec
      .given(twoPlatformClaims())
      .when(approve(first, '499999.99'))
      .thenMatches([{ data: { countersignRequired: false } }]);
  });

  it('takes the threshold from the context when configured', () => {
    const lowThreshold = deciderSpecification(applicantDecider, {
      ...CONTEXT,
      countersignThreshold: Money.parse('100000.00'),
    });
    lowThreshold
      .given(twoPlatformClaims())
      .when(approve(first, '100000.00'))
      .thenMatches([{ data: { countersignRequired: true, countersignThreshold: '100000.00' } }]);
  });

  describe('Invariant 2: ceiling', () => {
    it('recomputes the ceiling from the caps as they stand at the decision (invariant 2)', () => {
      const oneGranted = twoPlatformClaims(approve(first, '900000.00'), countersign(first));
      spec
        .given(oneGranted)
        .when(approve(second, '100000.01'))
        .thenFails('CLAIM.EXCEEDS_CEILING', { amount: '100000.01', ceiling: '100000.00' });
      spec
        .given(oneGranted)
        .when(approve(second, '100000.00'))
        .thenMatches([
          {
            data: {
              ceiling: '100000.00',
              capsBefore: [
                { capId: 'annual:c1-platform:2024', granted: '900000.00', room: '100000.00' },
              ],
            },
          },
        ]);
    });
  });

  describe('Invariant 1: caps', () => {
    it('counts an approval waiting for countersignature against the cap (reservation)', () => {
      spec
        .given(twoPlatformClaims(approve(first, '900000.00')))
        .when(approve(second, '100000.01'))
        .thenFails('CLAIM.EXCEEDS_CEILING', { ceiling: '100000.00' });
    });
  });

  describe('Invariant 1: caps', () => {
    it('gives the room back when an approval is revoked or refused at countersignature', () => {
      spec
        .given(twoPlatformClaims(approve(first, '900000.00'), countersign(first), revoke(first)))
        .when(approve(second, '900000.00'))
        .thenMatches([{ data: { amount: '900000.00', ceiling: '900000.00' } }]);
      spec
        .given(
          twoPlatformClaims(approve(first, '900000.00'), countersignReject(first, ['no budget'])),
        )
        .when(approve(second, '900000.00'))
        .thenMatches([{ data: { amount: '900000.00' } }]);
    });
  });

  describe('Invariant 1: caps', () => {
    it('passes the engine refusal through when no room is left at all', () => {
      const exhausted = historyOf(
        register(XIAOSHAN_CO, 'xiaoshan'),
        submit(XIAOSHAN_CO, 'c1-platform', '1000000.00'),
        submit(XIAOSHAN_CO, 'c1-platform', '1000000.00'),
        approve(first, '1000000.00'),
        countersign(first),
      );
      spec.given(exhausted).when(approve(second, '0.01')).thenFails('POLICY.CAP_EXHAUSTED');
    });
  });

  describe('Invariant 2: ceiling', () => {
    it('refuses an amount above the requested amount or the rule amount', () => {
      spec
        .given(trademarkClaim())
        .when(approve(first, '200000.01'))
        .thenFails('CLAIM.EXCEEDS_CEILING', { ceiling: '200000.00' });
      spec
        .given(
          historyOf(
            register(XIAOSHAN_CO, 'xiaoshan'),
            submit(XIAOSHAN_CO, 'c1-platform', '1000.00'),
          ),
        )
        .when(approve(first, '1000.01'))
        .thenFails('CLAIM.EXCEEDS_CEILING', { ceiling: '1000.00' });
    });
  });

  it.each([['0.00'], ['0']])('refuses an amount of %s', (amount) => {
    spec
      .given(trademarkClaim())
      .when(approve(first, amount))
      .thenFails('CLAIM.AMOUNT_NOT_POSITIVE');
  });

  it('refuses a malformed amount as invalid', () => {
    expect(
      spec
        .given(trademarkClaim())
        .when(approve(first, '200,000.00'))
        .thenFails('MONEY.GROUPING', { field: 'amount' }).kind,
    ).toBe('invalid');
  });

  it('refuses an integrity-flagged applicant (clause 十)', () => {
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
          flag(),
        ),
      )
      .when(approve(first, '1000.00'))
      .thenFails('APPLICANT.INTEGRITY_FLAGGED');
  });

  it('refuses a claim that is not submitted', () => {
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
          approve(first, '1000.00'),
        ),
      )
      .when(approve(first, '1000.00'))
      .thenFails('CLAIM.NOT_SUBMITTED', { status: 'approved' });
  });

  it('refuses an unknown claim, and a claim of an unregistered applicant', () => {
    spec.given(trademarkClaim()).when(approve(second, '1.00')).thenFails('CLAIM.NOT_FOUND');
    spec.given([]).when(approve(first, '1.00')).thenFails('CLAIM.NOT_FOUND');
  });

  describe('Invariant 1: caps', () => {
    it('refuses a second grant in a one-time scope even if two claims got in (defence in depth)', () => {
      // Submission keeps a second open claim out of a one-time scope; this history could only come from an
      // older rule or a bug, and the approval must still not create a second grant.
      const [registered, submitted, approved] = historyOf(
        register(XIAOSHAN_CO, 'xiaoshan'),
        submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
        approve(first, '1000.00'),
      );
      if (
        registered === undefined ||
        submitted?.type !== 'ClaimSubmitted' ||
        approved === undefined
      )
        throw new Error('fixture');
      const twin: ApplicantEvent = { ...submitted, data: { ...submitted.data, claimId: second } };
      spec
        .given([registered, submitted, twin, approved])
        .when(approve(second, '1000.00'))
        .thenFails('POLICY.ALREADY_AWARDED', { claimId: first });
    });
  });

  describe('Invariant 2: ceiling', () => {
    it('refuses a claim filed under another policy', () => {
      const [registered, submitted] = trademarkClaim();
      if (submitted?.type !== 'ClaimSubmitted' || registered === undefined)
        throw new Error('fixture');
      spec
        .given([
          registered,
          { ...submitted, data: { ...submitted.data, policyId: 'hz-cbec-2019' } },
        ])
        .when(approve(first, '1000.00'))
        .thenFails('CLAIM.POLICY_MISMATCH');
    });
  });

  it('is for reviewers only', () => {
    spec
      .given(trademarkClaim())
      .when({ ...approve(first, '1000.00'), metadata: asFinance() })
      .thenFails('ACCESS.ROLE_NOT_ALLOWED');
  });
});

describe('DecideClaim: reject', () => {
  it('rejects with trimmed reasons', () => {
    spec
      .given(trademarkClaim())
      .when(reject(first, [' fees not proven ', '']))
      .then([{ type: 'ClaimRejected', data: { claimId: first, reasons: ['fees not proven'] } }]);
  });

  it.each([[[]], [['  ']]])('needs at least one non-blank reason (%p)', (reasons) => {
    spec.given(trademarkClaim()).when(reject(first, reasons)).thenFails('CLAIM.REASONS_REQUIRED');
  });

  it('refuses a claim that is not submitted', () => {
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
          reject(first, ['no']),
        ),
      )
      .when(reject(first, ['again']))
      .thenFails('CLAIM.NOT_SUBMITTED', { status: 'rejected' });
  });
});

describe('CountersignApproval', () => {
  const pending = () => twoPlatformClaims(approve(first, '600000.00'));

  it('confirms an approval by a second reviewer', () => {
    spec
      .given(pending())
      .when(countersign(first))
      .then([
        {
          type: 'ApprovalCountersigned',
          data: {
            claimId: first,
            approvedBy: REVIEWER,
            countersignedBy: SECOND_REVIEWER,
            reasons: [],
          },
        },
      ]);
  });

  it('refuses the approver countersigning their own approval (maker–checker)', () => {
    expect(
      spec.given(pending()).when(countersign(first, REVIEWER)).thenFails('SOD.SELF_COUNTERSIGN')
        .kind,
    ).toBe('forbidden');
  });

  it('rejects at countersignature with reasons, releasing the reservation', () => {
    spec
      .given(pending())
      .when(countersignReject(first, ['budget']))
      .then([
        {
          type: 'ApprovalCountersignRejected',
          data: {
            claimId: first,
            approvedBy: REVIEWER,
            countersignedBy: SECOND_REVIEWER,
            reasons: ['budget'],
          },
        },
      ]);
  });

  it('needs reasons to reject', () => {
    spec.given(pending()).when(countersignReject(first, [])).thenFails('CLAIM.REASONS_REQUIRED');
  });

  it('refuses a claim that is not waiting for countersignature', () => {
    spec
      .given(twoPlatformClaims(approve(first, '1000.00')))
      .when(countersign(first))
      .thenFails('CLAIM.NOT_PENDING_COUNTERSIGN', { status: 'approved' });
    spec
      .given(twoPlatformClaims())
      .when(countersign(first))
      .thenFails('CLAIM.NOT_PENDING_COUNTERSIGN', { status: 'submitted' });
  });

  it('refuses to confirm while the applicant is flagged, but may still reject', () => {
    spec
      .given(twoPlatformClaims(approve(first, '600000.00'), flag()))
      .when(countersign(first))
      .thenFails('APPLICANT.INTEGRITY_FLAGGED');
    spec
      .given(twoPlatformClaims(approve(first, '600000.00'), flag()))
      .when(countersignReject(first, ['flagged']))
      .thenMatches([{ type: 'ApprovalCountersignRejected' }]);
  });

  it('refuses an unknown claim', () => {
    spec
      .given(pending())
      .when(countersign(claimOf(XIAOSHAN_CO, 9)))
      .thenFails('CLAIM.NOT_FOUND');
  });
});
