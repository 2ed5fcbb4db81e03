/**
 * Queries over the applicant state that several commands share: which claims count as grants, which are
 * still open, and the lookups that turn "not there" into the right refusal.
 */
import type { Assessment, FiscalSplit, GrantInScope, TraceStep } from '@hz/policy';
import type { AssessmentRecord, FiscalSplitRecord, JsonLike } from '../events';
import { DomainError, type DomainErrorCode } from '../errors';
import type { ApplicantState, ClaimState, MoneyMovement, RegisteredApplicant } from './state';

/** Grants are approvals in effect: approved or reserved while waiting for countersignature (revoked ones stop counting). */
export function grantsOf(applicant: RegisteredApplicant): GrantInScope[] {
  const grants: GrantInScope[] = [];
  for (const claim of Object.values(applicant.claims)) {
    if (claim.status === 'approved' || claim.status === 'pending_countersign') {
      const { claimId, programCode, supportYear, subjectKey } = claim;
      grants.push({ claimId, programCode, supportYear, subjectKey, amount: claim.approval.amount });
    }
  }
  return grants;
}

/** Open = no final decision yet: submitted, or approved but waiting for countersignature. */
export function isOpen(claim: ClaimState): boolean {
  return claim.status === 'submitted' || claim.status === 'pending_countersign';
}

export function isGrant(claim: ClaimState): boolean {
  return claim.status === 'approved' || claim.status === 'pending_countersign';
}

/** Scopes that admit one grant only (one-time, per-subject); annual scopes are bounded by their cap instead. */
export function isSingleGrantScope(scopeKind: Assessment['scopeKind']): boolean {
  return scopeKind === 'one-time' || scopeKind === 'per-subject';
}

export function claimsInScope(
  applicant: RegisteredApplicant,
  scopeKey: string,
  exceptClaimId: string | null,
): ClaimState[] {
  return Object.values(applicant.claims).filter(
    (claim) => claim.scopeKey === scopeKey && claim.claimId !== exceptClaimId,
  );
}

/** Claim commands address a claim that must exist in this applicant's stream. */
export function requireClaim(
  state: ApplicantState,
  claimId: string,
): { applicant: RegisteredApplicant; claim: ClaimState } {
  const claim = state.status === 'registered' ? state.claims[claimId] : undefined;
  if (state.status !== 'registered' || claim === undefined) {
    throw new DomainError('CLAIM.NOT_FOUND', `claim ${claimId} does not exist`, { claimId });
  }
  return { applicant: state, claim };
}

/** Every payment and recovery of the applicant, to recognise a reference used before in this stream. */
export function movementsOf(
  applicant: RegisteredApplicant,
): Array<MoneyMovement & { claimId: string; kind: 'payment' | 'recovery' }> {
  const movements: Array<MoneyMovement & { claimId: string; kind: 'payment' | 'recovery' }> = [];
  for (const claim of Object.values(applicant.claims)) {
    if (claim.status === 'approved' || claim.status === 'revoked') {
      for (const payment of claim.payments)
        movements.push({ ...payment, claimId: claim.claimId, kind: 'payment' });
    }
    if (claim.status === 'revoked') {
      for (const recovery of claim.recoveries)
        movements.push({ ...recovery, claimId: claim.claimId, kind: 'recovery' });
    }
  }
  return movements;
}

function traceStepRecord(step: TraceStep): { [key: string]: JsonLike } {
  const record: { [key: string]: JsonLike } = {
    step: step.step,
    clause: step.clause,
    message: step.message,
  };
  if (step.amount !== undefined) record['amount'] = step.amount;
  if (step.details !== undefined) record['details'] = { ...step.details };
  return record;
}

/** The engine's assessment as plain event data (money as 2-digit strings). */
export function assessmentRecordOf(assessment: Assessment): AssessmentRecord {
  return {
    eligible: assessment.eligible,
    base: assessment.base === null ? null : assessment.base.toString(),
    ruleAmount: assessment.ruleAmount.toString(),
    ceiling: assessment.ceiling.toString(),
    caps: assessment.caps.map((cap) => ({
      capId: cap.capId,
      clause: cap.clause,
      cap: cap.cap.toString(),
      granted: cap.granted.toString(),
      room: cap.room.toString(),
    })),
    trace: assessment.trace.map(traceStepRecord),
  };
}

/** Refuses with `code` unless the claim is in `status`; `rule` says which claims the command takes. */
export function requireStatus<S extends ClaimState['status']>(
  claim: ClaimState,
  status: S,
  code: DomainErrorCode,
  rule: string,
): asserts claim is Extract<ClaimState, { status: S }> {
  if (claim.status !== status)
    throw new DomainError(code, `${rule} (status ${claim.status})`, { status: claim.status });
}

/** The fiscal split (clause 十二) as plain event data, as ClaimApproved records it. */
export function splitRecordOf(split: FiscalSplit): FiscalSplitRecord {
  return {
    funding: split.funding,
    district: split.district,
    districtGroup: split.districtGroup,
    cityRate: split.cityRate,
    cityShare: split.cityShare.toString(),
    districtShare: split.districtShare.toString(),
  };
}

/** An ineligible assessment becomes a 422 with the engine's first refusal code; all refusals go in details. */
export function refusalOf(assessment: Assessment): DomainError {
  const first = assessment.refusals[0];
  const code =
    first !== undefined && first.code.startsWith('POLICY.')
      ? (first.code as `POLICY.${string}`)
      : 'POLICY.NOT_ELIGIBLE';
  const refusals: JsonLike = assessment.refusals.map((refusal) => ({
    code: refusal.code,
    message: refusal.message,
    clause: refusal.clause,
    details: { ...(refusal.details ?? {}) },
  }));
  return new DomainError(code, first?.message ?? 'the claim is not eligible under the policy', {
    refusals,
    programCode: assessment.programCode,
  });
}
