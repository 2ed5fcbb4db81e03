/**
 * The assessment of a submitted claim as the applicant's grants stand now (caps may have filled up since
 * submission): the approval checks it (docs/architecture.md §3 items 1–2), and the stale-view check
 * compares it with the one the reviewer saw (stale-view.ts).
 */
import { assess, type Assessment } from '@hz/policy';
import { recordedCatalog, type DecisionContext } from '../context';
import { DomainError } from '../errors';
import { claimsInScope, grantsOf, isGrant, isSingleGrantScope, refusalOf } from './claims';
import type { RegisteredApplicant, SubmittedClaim } from './state';

/** Re-runs the engine with the grants as they stand now: caps may have filled up since submission. */
export function assessNow(
  applicant: RegisteredApplicant,
  claim: SubmittedClaim,
  context: DecisionContext,
): Assessment {
  // The version the claim recorded at submission, not the one in force today (docs/policy.md §11).
  const catalog = recordedCatalog(context, claim);
  const { programCode, supportYear, requestedAmount, evidence } = claim;
  // A deadline concerns the submission, so the claim keeps its own submission date when re-assessed.
  const submittedOn = claim.submittedOn ?? undefined;
  const assessment = assess(
    catalog,
    { programCode, supportYear, requestedAmount, evidence, submittedOn },
    grantsOf(applicant),
  );
  if (isSingleGrantScope(assessment.scopeKind)) {
    const granted = claimsInScope(applicant, claim.scopeKey, claim.claimId).find(isGrant);
    if (granted !== undefined) {
      throw new DomainError(
        'POLICY.ALREADY_AWARDED',
        `scope ${claim.scopeKey} already holds a grant`,
        { scopeKey: claim.scopeKey, claimId: granted.claimId },
      );
    }
  }
  if (!assessment.eligible) throw refusalOf(assessment);
  return assessment;
}
