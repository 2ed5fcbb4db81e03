/**
 * Separation of duties on post-close adjustments (./adjustment-duties.ts; docs/operations.md "Period
 * close"): whoever touched the claim or plan, or stands on its applicant's side, is refused whatever roles
 * the token carries; an unknown subject is refused; an uninvolved identity passes.
 */
import { DomainError } from '../errors';
import { claimIdFor, usccFromPrefix } from '../index';
import {
  ADJUSTMENT_ROLE,
  requireAdjusterIndependent,
  type SubjectEvent,
} from './adjustment-duties';

const uscc = usccFromPrefix('91330106MA2P00002');
const claimId = claimIdFor(uscc, 1);
const otherClaimId = claimIdFor(uscc, 2);

const at = (type: string, actor: string, data: Record<string, unknown>): SubjectEvent => ({
  type,
  actor,
  data,
});

/** The applicant stream: registered, claim 1 submitted, decided, countersigned, paid, revoked and recovered. */
const stream: readonly SubjectEvent[] = [
  at('ApplicantRegistered', 'root-admin', { uscc }),
  at('ClaimSubmitted', 'sub-1', { claimId }),
  at('ClaimApproved', 'rev-1', { claimId, amount: '600000.00' }),
  at('ApprovalCountersigned', 'rev-2', { claimId }),
  at('DisbursementRecorded', 'fin-1', { claimId, amount: '1000.00' }),
  at('ClaimRevoked', 'rev-3', { claimId }),
  at('RecoveryRecorded', 'fin-2', { claimId, amount: '10.00' }),
  at('ClaimSubmitted', 'sub-2', { claimId: otherClaimId }),
];

const refusal = (run: () => void): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('requireAdjusterIndependent', () => {
  it('is the adjuster role, neither admin nor finance', () => {
    expect(ADJUSTMENT_ROLE).toBe('adjuster');
  });

  it.each([
    ['sub-1', 'submitted'],
    ['rev-1', 'decided'],
    ['rev-2', 'countersigned'],
    ['fin-1', 'paid'],
    ['rev-3', 'revoked'],
    ['fin-2', 'recovered'],
  ])('refuses %s, who %s the claim (403 SOD.ADJUSTER_INVOLVED)', (actor, act) => {
    const error = refusal(() => requireAdjusterIndependent(claimId, stream, { actor }));
    expect(error).toMatchObject({
      code: 'SOD.ADJUSTER_INVOLVED',
      httpStatus: 403,
      details: { subjectId: claimId, act },
    });
  });

  it('refuses the applicant side: a token acting for the applicant, an identity that submitted another claim of it', () => {
    expect(
      refusal(() =>
        requireAdjusterIndependent(claimId, stream, { actor: 'adj-1', applicant: uscc }),
      ),
    ).toMatchObject({ code: 'SOD.CLAIM_APPLICANT', details: { via: 'token', act: 'adjust' } });
    expect(
      refusal(() => requireAdjusterIndependent(claimId, stream, { actor: 'sub-2' })),
    ).toMatchObject({
      code: 'SOD.CLAIM_APPLICANT',
      details: { via: 'submission', submittedClaimId: otherClaimId },
    });
  });

  it('passes an identity that never touched the claim, and an applicant token of another applicant', () => {
    expect(() => requireAdjusterIndependent(claimId, stream, { actor: 'adj-1' })).not.toThrow();
    expect(() =>
      requireAdjusterIndependent(claimId, stream, {
        actor: 'adj-1',
        applicant: usccFromPrefix('91330106MA2P00003'),
      }),
    ).not.toThrow();
    // Registering the applicant is not a hand in the claim.
    expect(() =>
      requireAdjusterIndependent(claimId, stream, { actor: 'root-admin' }),
    ).not.toThrow();
  });

  it('checks an allocation plan by its decider and payer', () => {
    const plan: readonly SubjectEvent[] = [
      at('AllocationPlanDecided', 'adm-1', { planId: 'PLAN-2024-A' }),
      at('AllocationDisbursementRecorded', 'fin-1', { planId: 'PLAN-2024-A', amount: '5.00' }),
    ];
    expect(
      refusal(() => requireAdjusterIndependent('PLAN-2024-A', plan, { actor: 'fin-1' })),
    ).toMatchObject({ code: 'SOD.ADJUSTER_INVOLVED', details: { act: 'paid' } });
    expect(
      refusal(() => requireAdjusterIndependent('PLAN-2024-A', plan, { actor: 'adm-1' })),
    ).toMatchObject({ code: 'SOD.ADJUSTER_INVOLVED', details: { act: 'decided' } });
    expect(() => requireAdjusterIndependent('PLAN-2024-A', plan, { actor: 'adj-1' })).not.toThrow();
  });

  it('refuses a subject the stream does not name (404 PERIOD.SUBJECT_NOT_FOUND)', () => {
    expect(
      refusal(() => requireAdjusterIndependent(claimIdFor(uscc, 3), stream, { actor: 'adj-1' })),
    ).toMatchObject({ code: 'PERIOD.SUBJECT_NOT_FOUND', httpStatus: 404 });
    expect(
      refusal(() => requireAdjusterIndependent('PLAN-X', [], { actor: 'adj-1' })),
    ).toMatchObject({ code: 'PERIOD.SUBJECT_NOT_FOUND' });
  });
});
