/**
 * Separation of duties between a claim's applicant side and its reviewers and paying officers
 * (./separation.ts, docs/decisions.md): given/when/then with a fixed clock (NOW) and exact amounts, and a
 * property over random command sequences in the style of ./invariants.unit.spec.ts.
 */
import fc from 'fast-check';
import { Money } from '@hz/money';
import { applicantDecider } from './decider';
import { deciderSpecification } from '../testing/decider-specification';
import {
  approve,
  asApplicant,
  asFinance,
  asReviewer,
  claimOf,
  CONTEXT,
  countersign,
  disburse,
  meta,
  NOW,
  OTHER_CO,
  register,
  revoke,
  REVIEWER,
  SECOND_REVIEWER,
  submit,
  XIAOSHAN_CO,
} from '../testing/fixtures';
import { DomainError } from '../errors';
import type { ApplicantCommand, CommandMetadata, Role } from '../commands';
import type { ApplicantEvent } from '../events';
import type { ApplicantEventInput } from './decider';
import type { ApplicantState } from './state';

const spec = deciderSpecification(applicantDecider, CONTEXT);
const first = claimOf(XIAOSHAN_CO, 1);
const second = claimOf(XIAOSHAN_CO, 2);
/** The identity the fixtures submit with: `user-{uscc}`, acting for XIAOSHAN_CO. */
const SUBMITTER = `user-${XIAOSHAN_CO}`;

/**
 * Like fixtures' historyOf, but each event carries its command's actor in metadata, as events read back
 * from the store do: the decider learns who submitted from the ClaimSubmitted event's metadata.
 */
function recordedHistoryOf(...commands: readonly ApplicantCommand[]): ApplicantEvent[] {
  const events: ApplicantEventInput[] = [];
  let state = applicantDecider.initialState();
  for (const command of commands) {
    for (const event of applicantDecider.decide(command, state, CONTEXT)) {
      const recorded: ApplicantEventInput = {
        ...event,
        metadata: { actor: command.metadata.actor },
      };
      events.push(recorded);
      state = applicantDecider.evolve(state, recorded);
    }
  }
  return events;
}

/** A token with `role` for `actor`, optionally acting for an applicant (the JWT `applicant` claim). */
const as = (role: Role, actor: string, applicant?: string): CommandMetadata =>
  meta(role, actor, applicant === undefined ? {} : { applicant });
const decide = (metadata: CommandMetadata, amount = '200000.00'): ApplicantCommand => ({
  type: 'DecideClaim',
  data: { claimId: first, outcome: 'approve', amount, reasons: [] },
  metadata,
});
const rejectBy = (metadata: CommandMetadata): ApplicantCommand => ({
  type: 'DecideClaim',
  data: { claimId: first, outcome: 'reject', reasons: ['self'] },
  metadata,
});
const countersignBy = (metadata: CommandMetadata): ApplicantCommand => ({
  type: 'CountersignApproval',
  data: { claimId: first, outcome: 'confirm', reasons: [] },
  metadata,
});
const disburseBy = (metadata: CommandMetadata, amount = '50000.00'): ApplicantCommand => ({
  ...disburse(first, 'city', amount, 'PAY-SOD-1', '2024-06-30'),
  metadata,
});
const recoverBy = (metadata: CommandMetadata, amount = '50000.00'): ApplicantCommand => ({
  type: 'RecordRecovery',
  data: {
    claimId: first,
    funder: 'city',
    amount,
    recoveryRef: 'REC-SOD-1',
    recoveredAt: '2024-06-30',
  },
  metadata,
});

/** c3-trademark in xiaoshan (group B): 200,000.00 splits into city 50,000.00 and district 150,000.00. */
const submitted = () =>
  recordedHistoryOf(
    register(XIAOSHAN_CO, 'xiaoshan'),
    submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
  );
const approved = () =>
  recordedHistoryOf(
    register(XIAOSHAN_CO, 'xiaoshan'),
    submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
    approve(first, '200000.00'),
  );
/** c1-platform 900,000.00 approved by REVIEWER: at or above 500,000.00 it waits for a countersignature. */
const pending = () =>
  recordedHistoryOf(
    register(XIAOSHAN_CO, 'xiaoshan'),
    submit(XIAOSHAN_CO, 'c1-platform', '900000.00'),
    approve(first, '900000.00'),
  );
const revokedAfterPaying = () =>
  recordedHistoryOf(
    register(XIAOSHAN_CO, 'xiaoshan'),
    submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
    approve(first, '200000.00'),
    disburse(first, 'city', '50000.00', 'PAY-1'),
    revoke(first),
  );

describe('separation of duties: the identity that submitted a claim', () => {
  it('given a claim it submitted, when a token with roles applicant and reviewer approves or rejects it, then SOD.CLAIM_SUBMITTER (403)', () => {
    const dualRole = as('reviewer', SUBMITTER, XIAOSHAN_CO);
    expect(
      spec
        .given(submitted())
        .when(decide(dualRole))
        .thenFails('SOD.CLAIM_SUBMITTER', { claimId: first, act: 'decide' }).httpStatus,
    ).toBe(403);
    spec
      .given(submitted())
      .when(rejectBy(dualRole))
      .thenFails('SOD.CLAIM_SUBMITTER', { claimId: first, act: 'decide' });
  });

  it('refuses the submitter even with a token that acts for no applicant (same sub, reviewer only)', () => {
    spec
      .given(submitted())
      .when(decide(as('reviewer', SUBMITTER)))
      .thenFails('SOD.CLAIM_SUBMITTER');
  });

  it('refuses the submitter as countersigner of a pending 900,000.00 approval', () => {
    spec
      .given(pending())
      .when(countersignBy(as('reviewer', SUBMITTER)))
      .thenFails('SOD.CLAIM_SUBMITTER', { act: 'countersign' });
  });

  it('refuses the submitter as paying officer of its own 200,000.00 approval (city share 50,000.00)', () => {
    spec
      .given(approved())
      .when(disburseBy(as('finance', SUBMITTER)))
      .thenFails('SOD.CLAIM_SUBMITTER', { act: 'disburse' });
  });

  it('refuses the submitter as recovering officer of a revoked claim (city receivable 50,000.00)', () => {
    spec
      .given(revokedAfterPaying())
      .when(recoverBy(as('finance', SUBMITTER)))
      .thenFails('SOD.CLAIM_SUBMITTER', { act: 'recover' });
  });

  it('refuses before the status check: deciding an already approved claim of its own is still SOD.CLAIM_SUBMITTER', () => {
    spec
      .given(approved())
      .when(decide(as('reviewer', SUBMITTER)))
      .thenFails('SOD.CLAIM_SUBMITTER');
  });
});

describe('separation of duties: any identity acting for the applicant', () => {
  const agent = (role: Role) => as(role, 'agent-of-xiaoshan', XIAOSHAN_CO);

  it('given a claim another identity submitted, when a token acting for the same applicant decides it, then SOD.CLAIM_APPLICANT (403)', () => {
    expect(
      spec
        .given(submitted())
        .when(decide(agent('reviewer')))
        .thenFails('SOD.CLAIM_APPLICANT', { claimId: first, act: 'decide', via: 'token' })
        .httpStatus,
    ).toBe(403);
  });

  it('refuses it as countersigner, paying officer and recovering officer', () => {
    spec
      .given(pending())
      .when(countersignBy(agent('reviewer')))
      .thenFails('SOD.CLAIM_APPLICANT', { act: 'countersign', via: 'token' });
    spec
      .given(approved())
      .when(disburseBy(agent('finance')))
      .thenFails('SOD.CLAIM_APPLICANT', { act: 'disburse', via: 'token' });
    spec
      .given(revokedAfterPaying())
      .when(recoverBy(agent('finance')))
      .thenFails('SOD.CLAIM_APPLICANT', { act: 'recover', via: 'token' });
  });

  it('refuses a sub that submitted another claim of the applicant, even without the applicant claim in its token', () => {
    const twoSubmitters = recordedHistoryOf(
      register(XIAOSHAN_CO, 'xiaoshan'),
      submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
      {
        ...submit(XIAOSHAN_CO, 'c6-talent-event', '200000.00'),
        metadata: asApplicant(XIAOSHAN_CO, { actor: 'clerk-2' }),
      },
    );
    spec
      .given(twoSubmitters)
      .when(decide(as('reviewer', 'clerk-2')))
      .thenFails('SOD.CLAIM_APPLICANT', { via: 'submission', submittedClaimId: second });
  });

  it('checks the token even for a claim recorded without metadata (who submitted unknown)', () => {
    const withoutMetadata = recordedHistoryOf(
      register(XIAOSHAN_CO, 'xiaoshan'),
      submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
    ).map((event) => ({ type: event.type, data: event.data }) as ApplicantEvent);
    spec
      .given(withoutMetadata)
      .when(decide(agent('reviewer')))
      .thenFails('SOD.CLAIM_APPLICANT');
    // Without metadata the submitter is not known, so a plain reviewer token of that sub is not refused by this rule.
    spec
      .given(withoutMetadata)
      .when(decide(as('reviewer', SUBMITTER)))
      .thenMatches([
        { type: 'ClaimApproved', data: { amount: '200000.00', approvedBy: SUBMITTER } },
      ]);
  });
});

describe('separation of duties: what stays allowed', () => {
  it('lets independent staff approve, countersign, pay and recover with exact amounts', () => {
    spec
      .given(submitted())
      .when(approve(first, '200000.00'))
      .thenMatches([
        {
          type: 'ClaimApproved',
          data: {
            amount: '200000.00',
            approvedBy: REVIEWER,
            split: { cityShare: '50000.00', districtShare: '150000.00' },
          },
        },
      ]);
    spec
      .given(pending())
      .when(countersign(first, SECOND_REVIEWER))
      .thenMatches([
        {
          type: 'ApprovalCountersigned',
          data: { approvedBy: REVIEWER, countersignedBy: SECOND_REVIEWER },
        },
      ]);
    spec
      .given(approved())
      .when(disburseBy(asFinance(), '50000.00'))
      .then([
        {
          type: 'DisbursementRecorded',
          data: {
            claimId: first,
            funder: 'city',
            district: 'xiaoshan',
            amount: '50000.00',
            paymentRef: 'PAY-SOD-1',
            paidAt: '2024-06-30',
            channel: 'bank-transfer',
          },
        },
      ]);
    spec
      .given(revokedAfterPaying())
      .when(recoverBy(asFinance(), '50000.00'))
      .then([
        {
          type: 'RecoveryRecorded',
          data: {
            claimId: first,
            funder: 'city',
            district: 'xiaoshan',
            amount: '50000.00',
            recoveryRef: 'REC-SOD-1',
            recoveredAt: '2024-06-30',
          },
        },
      ]);
  });

  it('lets a token acting for another applicant review this one', () => {
    spec
      .given(submitted())
      .when(decide(as('reviewer', 'someone-else', OTHER_CO)))
      .thenMatches([{ type: 'ClaimApproved', data: { approvedBy: 'someone-else' } }]);
  });

  it('lets the submitter withdraw its own claim (an applicant act, not a review)', () => {
    spec
      .given(submitted())
      .when({
        type: 'WithdrawClaim',
        data: { claimId: first, reason: 'filed twice' },
        metadata: asApplicant(XIAOSHAN_CO),
      })
      .then([{ type: 'ClaimWithdrawn', data: { claimId: first, reason: 'filed twice' } }]);
  });

  it('records who submitted from the ClaimSubmitted metadata at the fixed ledger time', () => {
    const state = submitted().reduce(applicantDecider.evolve, applicantDecider.initialState());
    expect(state.status === 'registered' ? state.claims[first] : undefined).toMatchObject({
      submittedBy: SUBMITTER,
      submittedOn: NOW.slice(0, 10),
    });
  });
});

/**
 * The rule as a property: over random sequences of submissions and reviews by a mix of independent
 * staff and identities on the applicant's side (with and without the applicant claim in their token), no
 * decision, countersignature, disbursement or recovery is ever decided for an applicant-side identity.
 */
describe('separation of duties over random command sequences', () => {
  const staff = ['r1', 'r2'] as const;
  const applicantSide = [SUBMITTER, 'clerk-2', 'agent-of-xiaoshan'] as const;
  type Step =
    | { readonly kind: 'submit'; readonly by: 0 | 1; readonly amount: string }
    | {
        readonly kind: 'act';
        readonly claim: number;
        readonly actor: string;
        readonly withApplicant: boolean;
        readonly choice: number;
      };
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('submit' as const),
        by: fc.constantFrom<0 | 1>(0, 1),
        amount: fc.integer({ min: 1, max: 900 }).map((thousands) => `${thousands}000.00`),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('act' as const),
        claim: fc.integer({ min: 1, max: 3 }),
        actor: fc.constantFrom<string>(...staff, ...applicantSide),
        withApplicant: fc.boolean(),
        choice: fc.integer({ min: 0, max: 3 }),
      }),
    },
  );

  function commandFor(next: Step, state: ApplicantState, serial: number): ApplicantCommand {
    if (next.kind === 'submit') {
      const actor = next.by === 0 ? SUBMITTER : 'clerk-2';
      return {
        ...submit(XIAOSHAN_CO, 'c1-platform', next.amount),
        metadata: asApplicant(XIAOSHAN_CO, { actor }),
      };
    }
    const claims = state.status === 'registered' ? Object.values(state.claims) : [];
    const claim = claims[Math.max(0, claims.length - next.claim)];
    const claimId = claim?.claimId ?? first;
    const applicant =
      next.withApplicant || next.actor === 'agent-of-xiaoshan' ? { applicant: XIAOSHAN_CO } : {};
    const metadata = (role: Role) => meta(role, next.actor, applicant);
    switch (claim?.status) {
      case 'pending_countersign':
        return {
          type: 'CountersignApproval',
          data: { claimId, outcome: next.choice < 3 ? 'confirm' : 'reject', reasons: ['checked'] },
          metadata: metadata('reviewer'),
        };
      case 'approved':
        // Revoked often once something was paid, so that recoveries have a receivable to recover.
        if (next.choice === 3 || (next.choice === 2 && claim.paid.city.isPositive()))
          return {
            type: 'RevokeClaim',
            data: { claimId, reasons: ['audit'] },
            metadata: asReviewer('r3'),
          };
        return {
          type: 'RecordDisbursement',
          data: {
            claimId,
            funder: 'city',
            amount: '10.00',
            paymentRef: `P-${serial}`,
            paidAt: '2024-06-30',
          },
          metadata: metadata('finance'),
        };
      case 'revoked':
        return {
          type: 'RecordRecovery',
          data: {
            claimId,
            funder: 'city',
            amount: '1.00',
            recoveryRef: `R-${serial}`,
            recoveredAt: '2024-06-30',
          },
          metadata: metadata('finance'),
        };
      default:
        return {
          type: 'DecideClaim',
          data: {
            claimId,
            outcome: next.choice === 0 ? 'reject' : 'approve',
            amount: next.choice === 1 ? '999.99' : '1000.00',
            reasons: ['r'],
          },
          metadata: metadata('reviewer'),
        };
    }
  }

  /** A low threshold, so that approvals of 1,000.00 wait for a countersignature and 999.99 do not. */
  const context = { ...CONTEXT, countersignThreshold: Money.parse('1000.00') };
  const REVIEW_TYPES = new Set([
    'DecideClaim',
    'CountersignApproval',
    'RecordDisbursement',
    'RecordRecovery',
  ]);

  it('never decides a review act for the submitter or an identity acting for the applicant', () => {
    const seen: Record<string, number> = {};
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 60 }), (steps) => {
        let state = recordedHistoryOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c1-platform', '5000.00'),
        ).reduce(applicantDecider.evolve, applicantDecider.initialState());
        steps.forEach((next, serial) => {
          const command = commandFor(next, state, serial);
          const submitters =
            state.status === 'registered'
              ? Object.values(state.claims).map((claim) => claim.submittedBy)
              : [];
          const sideOfApplicant =
            command.metadata.applicant === XIAOSHAN_CO ||
            submitters.includes(command.metadata.actor);
          try {
            const decided = applicantDecider.decide(command, state, context);
            if (REVIEW_TYPES.has(command.type) && decided.length > 0) {
              if (sideOfApplicant)
                throw new Error(
                  `${command.type} by ${command.metadata.actor} (applicant ${command.metadata.applicant ?? '-'}) was decided`,
                );
              seen[`allowed ${command.type}`] = (seen[`allowed ${command.type}`] ?? 0) + 1;
            }
            for (const event of decided)
              state = applicantDecider.evolve(state, {
                ...event,
                metadata: { actor: command.metadata.actor },
              } as ApplicantEventInput);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            seen[error.code] = (seen[error.code] ?? 0) + 1;
          }
        });
      }),
      { numRuns: 200, seed: 20240701 },
    );
    // Only as good as what it reached: both refusals and every kind of allowed review act happened.
    for (const reached of [
      'SOD.CLAIM_SUBMITTER',
      'SOD.CLAIM_APPLICANT',
      'allowed DecideClaim',
      'allowed CountersignApproval',
      'allowed RecordDisbursement',
      'allowed RecordRecovery',
    ]) {
      expect(seen[reached] ?? 0).toBeGreaterThan(10);
    }
  });
});
