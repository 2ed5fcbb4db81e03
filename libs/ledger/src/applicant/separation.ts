/**
 * Separation of duties between a claim's applicant side and its reviewers and paying officers
 * (docs/decisions.md, "Separation of duties"). Whatever roles a token carries, an identity on the
 * applicant's side may not decide, countersign, disburse or recover the applicant's claims:
 *
 * - the identity (JWT `sub`) that submitted the claim: `SOD.CLAIM_SUBMITTER`;
 * - an identity acting for the claim's applicant: a token whose `applicant` claim is that USCC, or a
 *   `sub` that submitted any claim of that applicant: `SOD.CLAIM_APPLICANT`.
 *
 * Who submitted is the actor in the ClaimSubmitted event's metadata (folded into `submittedBy`). Checked
 * right after the claim is found, before its status and before any replay check, so the answer does not
 * depend on where the claim stands.
 */
import type { CommandMetadata } from '../commands';
import { DomainError } from '../errors';
import type { ClaimCore, RegisteredApplicant } from './state';

export type ClaimAct = 'decide' | 'countersign' | 'disburse' | 'recover';

const VERB: Readonly<Record<ClaimAct, string>> = {
  decide: 'decide',
  countersign: 'countersign',
  disburse: 'record a disbursement on',
  recover: 'record a recovery on',
};

export function requireIndependentOfApplicant(
  applicant: RegisteredApplicant,
  claim: ClaimCore,
  metadata: CommandMetadata,
  act: ClaimAct,
): void {
  const { actor } = metadata;
  const details = { claimId: claim.claimId, act };
  if (claim.submittedBy !== null && actor === claim.submittedBy) {
    throw new DomainError(
      'SOD.CLAIM_SUBMITTER',
      `whoever submitted a claim may not ${VERB[act]} it`,
      details,
    );
  }
  if (metadata.applicant !== undefined && metadata.applicant === claim.applicant) {
    throw new DomainError(
      'SOD.CLAIM_APPLICANT',
      `an identity acting for the applicant may not ${VERB[act]} its claim`,
      { ...details, via: 'token' },
    );
  }
  const submitted = Object.values(applicant.claims).find(
    (other) => other.submittedBy !== null && other.submittedBy === actor,
  );
  if (submitted !== undefined) {
    throw new DomainError(
      'SOD.CLAIM_APPLICANT',
      `an identity that submitted claims for the applicant may not ${VERB[act]} its claims`,
      {
        ...details,
        via: 'submission',
        submittedClaimId: submitted.claimId,
      },
    );
  }
}
