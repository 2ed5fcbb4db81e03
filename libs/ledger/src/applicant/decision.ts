/** DecideClaim (approve | reject) and CountersignApproval (maker–checker): docs/policy.md §7. */
import { fiscalSplit } from '@hz/policy';
import type { CountersignApproval, DecideClaim } from '../commands';
import { countersignThresholdOf, recordedCatalog, type DecisionContext } from '../context';
import { assertInvariant, DomainError } from '../errors';
import type {
  ApprovalCountersigned,
  ApprovalCountersignRejected,
  ClaimApproved,
  ClaimRejected,
} from '../events';
import { optionalReasons, parseAmount, requireReasons } from '../guards';
import { assessNow } from './assess-now';
import { assessmentRecordOf, requireClaim, requireStatus, splitRecordOf } from './claims';
import { requireIndependentOfApplicant } from './separation';
import { requireFreshView } from './stale-view';
import type { ApplicantState, RegisteredApplicant, SubmittedClaim } from './state';

export function decideClaim(
  command: DecideClaim,
  state: ApplicantState,
  context: DecisionContext,
): [ClaimApproved] | [ClaimRejected] {
  const { applicant, claim } = requireClaim(state, command.data.claimId);
  requireIndependentOfApplicant(applicant, claim, command.metadata, 'decide');
  requireStatus(claim, 'submitted', 'CLAIM.NOT_SUBMITTED', 'only a submitted claim can be decided');
  // What the reviewer saw (stale-view.ts): recorded on the decision, refused when the figures moved since.
  const viewPosition = requireFreshView(command, state, context);
  const seenAt = viewPosition === undefined ? {} : { viewPosition };
  if (command.data.outcome === 'reject') {
    const reasons = requireReasons(command.data.reasons, 'CLAIM.REASONS_REQUIRED');
    return [{ type: 'ClaimRejected', data: { claimId: claim.claimId, reasons, ...seenAt } }];
  }
  if (command.data.outcome !== 'approve')
    throw new DomainError('COMMAND.INVALID', 'outcome must be approve or reject', {
      field: 'outcome',
    });
  const approval = approve(
    command.data.amount,
    optionalReasons(command.data.reasons),
    applicant,
    claim,
    command.metadata.actor,
    context,
  );
  return [{ ...approval, data: { ...approval.data, ...seenAt } }];
}

function approve(
  amountInput: unknown,
  reasons: readonly string[],
  applicant: RegisteredApplicant,
  claim: SubmittedClaim,
  actor: string,
  context: DecisionContext,
): ClaimApproved {
  if (applicant.integrityFlag !== null)
    throw new DomainError(
      'APPLICANT.INTEGRITY_FLAGGED',
      'an integrity-flagged applicant cannot be approved (clause 十)',
    );
  const amount = parseAmount(amountInput, 'amount');
  if (!amount.isPositive())
    throw new DomainError('CLAIM.AMOUNT_NOT_POSITIVE', 'an approval must be above 0.00');
  const assessment = assessNow(applicant, claim, context);
  if (amount.greaterThan(assessment.ceiling)) {
    throw new DomainError(
      'CLAIM.EXCEEDS_CEILING',
      `${amount.toString()} exceeds the ceiling ${assessment.ceiling.toString()}`,
      {
        amount: amount.toString(),
        ceiling: assessment.ceiling.toString(),
        caps: assessmentRecordOf(assessment).caps.map((cap) => ({ ...cap })),
      },
    );
  }
  // Invariants 1 and 2: the approval fits the ceiling and every cap's room at decision time.
  assertInvariant(amount.lessThanOrEqual(assessment.ceiling), 'approval within the ceiling');
  for (const cap of assessment.caps) {
    assertInvariant(cap.granted.plus(amount).lessThanOrEqual(cap.cap), 'approval within cap room', {
      capId: cap.capId,
    });
  }
  const catalog = recordedCatalog(context, claim);
  const split = fiscalSplit(catalog, claim.programCode, applicant.district, amount);
  // Invariant 3: the shares add up to the approved amount exactly.
  assertInvariant(
    split.cityShare.plus(split.districtShare).equals(amount),
    'fiscal split adds up',
    { amount: amount.toString() },
  );
  assertInvariant(split.district === applicant.district, 'split uses the district in force');
  const threshold = countersignThresholdOf(context);
  return {
    type: 'ClaimApproved',
    data: {
      claimId: claim.claimId,
      amount: amount.toString(),
      reasons,
      approvedBy: actor,
      policyId: assessment.policyId,
      catalogHash: assessment.catalogHash,
      ruleAmount: assessment.ruleAmount.toString(),
      ceiling: assessment.ceiling.toString(),
      capsBefore: assessmentRecordOf(assessment).caps,
      countersignRequired: amount.greaterThanOrEqual(threshold),
      countersignThreshold: threshold.toString(),
      split: splitRecordOf(split),
    },
  };
}

export function countersignApproval(
  command: CountersignApproval,
  state: ApplicantState,
): [ApprovalCountersigned] | [ApprovalCountersignRejected] {
  const { applicant, claim } = requireClaim(state, command.data.claimId);
  requireIndependentOfApplicant(applicant, claim, command.metadata, 'countersign');
  requireStatus(
    claim,
    'pending_countersign',
    'CLAIM.NOT_PENDING_COUNTERSIGN',
    'claim is not waiting for a countersignature',
  );
  const countersigner = command.metadata.actor;
  const approvedBy = claim.approval.approvedBy;
  if (countersigner === approvedBy)
    throw new DomainError(
      'SOD.SELF_COUNTERSIGN',
      'the countersigner must be another reviewer than the approver',
      { approvedBy },
    );
  const { claimId } = claim;
  if (command.data.outcome === 'reject') {
    const reasons = requireReasons(command.data.reasons, 'CLAIM.REASONS_REQUIRED');
    return [
      {
        type: 'ApprovalCountersignRejected',
        data: { claimId, approvedBy, countersignedBy: countersigner, reasons },
      },
    ];
  }
  if (command.data.outcome !== 'confirm')
    throw new DomainError('COMMAND.INVALID', 'outcome must be confirm or reject', {
      field: 'outcome',
    });
  // Confirming completes an approval, which clause 十 forbids while the applicant is flagged.
  if (applicant.integrityFlag !== null)
    throw new DomainError(
      'APPLICANT.INTEGRITY_FLAGGED',
      'an integrity-flagged applicant cannot be approved (clause 十)',
    );
  return [
    {
      type: 'ApprovalCountersigned',
      data: {
        claimId,
        approvedBy,
        countersignedBy: countersigner,
        reasons: optionalReasons(command.data.reasons),
      },
    },
  ];
}
