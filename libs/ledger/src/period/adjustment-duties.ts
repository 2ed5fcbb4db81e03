/**
 * Separation of duties for post-close adjustments (issue 18; docs/operations.md "Period close",
 * docs/decisions.md "Separation of duties"). An adjustment is recorded by the `adjuster` role
 * (ADJUSTMENT_ROLE), never by the admin who closes the period nor by finance who pays, and whatever roles
 * a token carries, nobody who had a hand in the subject records its adjustment:
 *
 * - the identity (JWT `sub`) that submitted, withdrew, decided, countersigned, paid, revoked or recovered
 *   the claim, or decided or paid the allocation plan: `SOD.ADJUSTER_INVOLVED` (details: subjectId, act);
 * - an identity on the claim's applicant side (a token acting for that applicant, or a `sub` that
 *   submitted any claim of it): `SOD.CLAIM_APPLICANT`, as for the claim's own movements.
 *
 * An adjustment names a claim or plan the ledger holds; `PERIOD.SUBJECT_NOT_FOUND` (404) otherwise. The
 * check reads the subject's stream as stored (metadata actor and the fields naming the subject).
 */
import type { Role } from '../commands';
import { DomainError } from '../errors';
import { applicantOfClaimId } from '../events';

/** The role that records PostCloseAdjustmentRecorded, and only that. */
export const ADJUSTMENT_ROLE: Role = 'adjuster';

/** What an event of the subject's stream did to it. */
export type SubjectAct =
  'submitted' | 'withdrew' | 'decided' | 'countersigned' | 'paid' | 'revoked' | 'recovered';

const ACT_BY_TYPE: Readonly<Record<string, SubjectAct>> = {
  ClaimSubmitted: 'submitted',
  ClaimWithdrawn: 'withdrew',
  ClaimApproved: 'decided',
  ClaimRejected: 'decided',
  ApprovalCountersigned: 'countersigned',
  ApprovalCountersignRejected: 'countersigned',
  DisbursementRecorded: 'paid',
  ClaimRevoked: 'revoked',
  RecoveryRecorded: 'recovered',
  AllocationPlanDecided: 'decided',
  AllocationDisbursementRecorded: 'paid',
};

/** An event of the subject's stream as the check needs it: type, data and the actor who recorded it. */
export interface SubjectEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly actor: string | undefined;
}

export interface AdjusterIdentity {
  readonly actor: string;
  /** The USCC the token acts for, if any. */
  readonly applicant?: string;
}

function namesSubject(event: SubjectEvent, subjectId: string): boolean {
  return event.data['claimId'] === subjectId || event.data['planId'] === subjectId;
}

/**
 * Refuses the adjustment when `caller` touched the subject (or stands on its applicant's side); `events`
 * is the subject's stream: the applicant stream of a claim id, the allocation stream of a plan id.
 */
export function requireAdjusterIndependent(
  subjectId: string,
  events: readonly SubjectEvent[],
  caller: AdjusterIdentity,
): void {
  const touching = events.filter((event) => namesSubject(event, subjectId));
  if (touching.length === 0)
    throw new DomainError(
      'PERIOD.SUBJECT_NOT_FOUND',
      `no claim or allocation plan ${subjectId} in the ledger`,
      { subjectId },
    );
  for (const event of touching) {
    const act = ACT_BY_TYPE[event.type];
    if (act !== undefined && event.actor === caller.actor)
      throw new DomainError(
        'SOD.ADJUSTER_INVOLVED',
        `whoever ${act} ${subjectId} may not record its post-close adjustment`,
        { subjectId, act },
      );
  }
  const applicant = applicantOfClaimId(subjectId);
  if (applicant === undefined) return;
  if (caller.applicant !== undefined && caller.applicant === applicant)
    throw new DomainError(
      'SOD.CLAIM_APPLICANT',
      'an identity acting for the applicant may not record an adjustment of its claim',
      { claimId: subjectId, act: 'adjust', via: 'token' },
    );
  const submitted = events.find(
    (event) => event.type === 'ClaimSubmitted' && event.actor === caller.actor,
  );
  if (submitted !== undefined)
    throw new DomainError(
      'SOD.CLAIM_APPLICANT',
      'an identity that submitted claims for the applicant may not record an adjustment of its claims',
      {
        claimId: subjectId,
        act: 'adjust',
        via: 'submission',
        submittedClaimId: String(submitted.data['claimId']),
      },
    );
}
