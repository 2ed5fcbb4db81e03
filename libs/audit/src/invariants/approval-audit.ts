/**
 * Checks one ClaimApproved against invariants 1–3: the split sums to the amount, the amount stays under
 * the ceiling it recorded, and the policy engine, rerun under the recorded catalog version on the grants
 * the log held at that moment, agrees on the ceiling, the split and the cap room.
 */
import { Money } from '@hz/money';
import type { ClaimApproved, ClaimSubmitted, PolicyStamp } from '@hz/ledger';
import { moneyField, holdsGrant, type AuditedApplicant, type AuditedClaim } from './audit-state';
import type {
  DecisionOracle,
  DecisionRecompute,
  DecisionRecomputeInput,
  GrantForRecompute,
} from './decision-oracle';
import type { Finding } from './findings';

export type Draft = Omit<Finding, 'position' | 'streamId' | 'revision'>;

export interface ApprovalContext {
  readonly data: ClaimApproved['data'];
  readonly occurredAt: string;
  readonly claim: AuditedClaim;
  readonly applicant: AuditedApplicant;
  /** Every claim of the applicant, to find the grants in effect before this decision. */
  readonly applicantClaims: readonly AuditedClaim[];
  readonly oracle: DecisionOracle | undefined;
}

/** An approval's findings, and its amounts as parsed once (the fold keeps them as the claim's grant). */
export interface ApprovalAudit {
  readonly findings: Draft[];
  readonly amount: Money;
  readonly cityShare: Money;
  readonly districtShare: Money;
}

export function auditApproval(context: ApprovalContext): ApprovalAudit {
  const { data, claim } = context;
  const findings: Draft[] = [];
  const amount = moneyField(data.amount, 'amount');
  const cityShare = moneyField(data.split.cityShare, 'split.cityShare');
  const districtShare = moneyField(data.split.districtShare, 'split.districtShare');
  const recordedCeiling = moneyField(data.ceiling, 'ceiling');
  if (!cityShare.plus(districtShare).equals(amount)) {
    findings.push({
      check: 'split-sum',
      code: 'SPLIT.NOT_SUMMING',
      message: `city ${cityShare} + district ${districtShare} ≠ approved ${amount}`,
    });
  }
  if (!amount.isPositive())
    findings.push({
      check: 'decision-recompute',
      code: 'DECISION.AMOUNT_NOT_POSITIVE',
      message: `approved amount ${amount} is not positive`,
    });
  if (amount.greaterThan(recordedCeiling)) {
    findings.push({
      check: 'decision-recompute',
      code: 'DECISION.ABOVE_RECORDED_CEILING',
      message: `approved ${amount} above the ceiling ${recordedCeiling} it recorded`,
    });
  }
  if (claim.status !== 'submitted')
    findings.push({
      check: 'lifecycle',
      code: 'LIFECYCLE.APPROVED_WHEN_NOT_SUBMITTED',
      message: `approved while ${claim.status}`,
    });
  if (context.applicant.flagged)
    findings.push({
      check: 'lifecycle',
      code: 'LIFECYCLE.APPROVED_WHILE_FLAGGED',
      message: `approved while the applicant is integrity-flagged`,
    });
  if (data.split.district !== context.applicant.district) {
    findings.push({
      check: 'decision-recompute',
      code: 'DECISION.SPLIT_DISTRICT_MISMATCH',
      message: `split names ${data.split.district}, the applicant was registered in ${context.applicant.district}`,
    });
  }
  if (context.oracle) {
    const input = recomputeInput(context, amount, textOf(data.amount));
    const { grantsBefore } = input;
    const recompute = context.oracle.recomputeApproval(input);
    findings.push(
      ...compareWithRecompute(
        recompute,
        { amount, cityShare, districtShare, recordedCeiling, data },
        grantsBefore,
        claim,
      ),
    );
    if (recompute.kind === 'recomputed')
      findings.push(...scopeFindings(claim, recompute.scopeKind, context.applicantClaims));
  }
  return { findings, amount, cityShare, districtShare };
}

/**
 * What a recompute of a decision starts from, the same for a submission and an approval: the catalog
 * version the decision recorded, the claim as filed, the grants in effect just before it (this claim
 * excluded) and the applicant's district at that moment; then the amount to split and the decision's
 * time. One object (issue 13: a basis spread into the input was two objects per decision).
 */
function recomputeInput(
  context: Pick<ApprovalContext, 'claim' | 'applicant' | 'applicantClaims' | 'occurredAt'> & {
    readonly data: PolicyStamp;
  },
  amount: Money,
  amountText: string | undefined,
): DecisionRecomputeInput {
  const { data, claim } = context;
  return {
    policyId: data.policyId,
    catalogHash: data.catalogHash,
    claimId: claim.claimId,
    applicant: claim.applicant,
    programCode: claim.programCode,
    supportYear: claim.supportYear,
    requestedAmount: claim.requestedAmount,
    evidence: claim.evidence,
    grantsBefore: effectiveGrants(context.applicantClaims, claim.claimId),
    district: context.applicant.district,
    amount,
    amountText,
    decidedAt: context.occurredAt,
  };
}

/**
 * `differs(what, recorded, recomputed)` adds one recompute finding to `findings` when the two differ:
 * amounts by Money.equals (exact decimal.js equality, the same verdict as comparing their 2-digit texts;
 * the texts are formatted only for a finding, issue 13), anything else as text.
 */
function mismatchesInto(
  findings: Draft[],
  code: string,
  prefix: string,
): (what: string, stored: Money | string, computed: Money | string) => void {
  return (what, stored, computed) => {
    const same =
      typeof stored === 'string' || typeof computed === 'string'
        ? String(stored) === String(computed)
        : stored.equals(computed);
    if (!same)
      findings.push({
        check: 'decision-recompute',
        code,
        message: `${prefix}${what}: recorded ${stored.toString()}, recomputed ${computed.toString()}`,
      });
  };
}

/** A stored amount's own text, for the oracle's memo key (undefined if it is not a string). */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function effectiveGrants(
  claims: readonly AuditedClaim[],
  excludeClaimId: string,
): GrantForRecompute[] {
  const grants: GrantForRecompute[] = [];
  for (const other of claims) {
    if (other.claimId === excludeClaimId || !holdsGrant(other) || other.grant === null) continue;
    grants.push({
      claimId: other.claimId,
      programCode: other.programCode,
      supportYear: other.supportYear,
      subjectKey: other.subjectKey,
      amount: other.grant.amount,
    });
  }
  return grants;
}

/** One-time and per-subject scopes hold at most one grant, whatever the engine's ceiling said. */
function scopeFindings(
  claim: AuditedClaim,
  scopeKind: string,
  applicantClaims: readonly AuditedClaim[],
): Draft[] {
  if (scopeKind !== 'one-time' && scopeKind !== 'per-subject') return [];
  const sameScope = applicantClaims.filter(
    (other) =>
      other.claimId !== claim.claimId && other.scopeKey === claim.scopeKey && holdsGrant(other),
  );
  if (sameScope.length === 0) return [];
  return [
    {
      check: 'one-time-scope',
      code: 'SCOPE.SECOND_GRANT',
      message: `${scopeKind} scope ${claim.scopeKey} already holds a grant on ${sameScope.map((other) => other.claimId).join(', ')}`,
    },
  ];
}

interface Recorded {
  readonly amount: Money;
  readonly cityShare: Money;
  readonly districtShare: Money;
  readonly recordedCeiling: Money;
  readonly data: ClaimApproved['data'];
}

function compareWithRecompute(
  recompute: DecisionRecompute,
  recorded: Recorded,
  grantsBefore: readonly GrantForRecompute[],
  claim: AuditedClaim,
): Draft[] {
  if (recompute.kind === 'not-recomputable')
    return [{ check: 'decision-recompute', code: recompute.code, message: recompute.message }];
  const findings: Draft[] = [];
  const differs = mismatchesInto(findings, 'DECISION.MISMATCH', '');
  differs('rule amount', moneyField(recorded.data.ruleAmount, 'ruleAmount'), recompute.ruleAmount);
  differs('ceiling', recorded.recordedCeiling, recompute.ceiling);
  differs('city share', recorded.cityShare, recompute.split.cityShare);
  differs('district share', recorded.districtShare, recompute.split.districtShare);
  if (recorded.amount.greaterThan(recompute.ceiling)) {
    findings.push({
      check: 'decision-recompute',
      code: 'DECISION.ABOVE_RECOMPUTED_CEILING',
      message: `approved ${recorded.amount} above the recomputed ceiling ${recompute.ceiling}`,
    });
  }
  for (const cap of recompute.caps) {
    const after = cap.granted.plus(recorded.amount);
    if (after.greaterThan(cap.cap)) {
      const others =
        grantsBefore.length === 0 ? '' : ` (with ${grantsBefore.length} earlier grant(s))`;
      findings.push({
        check: 'annual-cap',
        code: 'CAP.EXCEEDED',
        message: `${cap.capId}: granted ${after} over the cap ${cap.cap}${others} by ${claim.claimId}`,
      });
    }
  }
  return findings;
}

export interface SubmissionContext {
  readonly data: ClaimSubmitted['data'];
  readonly claim: AuditedClaim;
  readonly applicant: AuditedApplicant;
  readonly applicantClaims: readonly AuditedClaim[];
  readonly occurredAt: string;
  readonly oracle: DecisionOracle | undefined;
}

/** What a submission's recompute splits (Money.ZERO's text): see auditSubmission. */
export const SUBMISSION_SPLIT_AMOUNT = '0.00';

/** The assessment recorded at submission is a decision too: rerun it on the grants the log held then. */
export function auditSubmission(context: SubmissionContext): Draft[] {
  const { data, oracle } = context;
  if (!oracle) return [];
  // A submission has no decided amount to split, and this check reads the assessment alone (eligible,
  // rule amount, ceiling; assess never reads `amount`). The split is asked of zero: the engine refuses an
  // unknown program or district (a NOT_RECOMPUTABLE finding) whatever the amount, so the findings are
  // the same as with the requested amount, and the oracle's split memo answers every submission of a
  // program and district from one entry instead of splitting each requested amount (issue 13,
  // docs/benchmarks.md "Verify: the recompute, the canonical check and Money").
  const recompute = oracle.recomputeApproval(
    recomputeInput(context, Money.ZERO, SUBMISSION_SPLIT_AMOUNT),
  );
  if (recompute.kind === 'not-recomputable')
    return [
      {
        check: 'decision-recompute',
        code: recompute.code,
        message: `submission: ${recompute.message}`,
      },
    ];
  const recorded = data.assessment;
  const findings: Draft[] = [];
  const differs = mismatchesInto(findings, 'DECISION.ASSESSMENT_MISMATCH', 'submission ');
  differs('eligible', String(recorded.eligible), String(recompute.eligible));
  differs(
    'rule amount',
    moneyField(recorded.ruleAmount, 'assessment.ruleAmount'),
    recompute.ruleAmount,
  );
  differs('ceiling', moneyField(recorded.ceiling, 'assessment.ceiling'), recompute.ceiling);
  return findings;
}
