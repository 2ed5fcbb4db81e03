import { assertInvariant, Money } from '@hz/money';
import type { Assessment, ClaimDraft, EvidenceError, GrantInScope, RuleRefusal } from './api';
import { capRooms, checkScope } from './assess-caps';
import { checkClaim, checkDatedField, checkPredicates } from './assess-checks';
import { applyRule } from './assess-rule';
import type { AssessmentInput, Findings } from './assess-values';
import type { PolicyCatalog, ProgramDefinition } from './catalog-types';
import { readEvidence } from './evidence';
import { findProgram, isClaimable } from './registry';
import { scopeKey } from './scope';

/**
 * Assesses a claim against the catalog (docs/policy.md §3, §5): every refusal reason, the rule amount, each
 * cap with its room counting only the grants of its scope, and the ceiling = min(requested, rule amount,
 * every room), 0.00 when not eligible. A cap with no room left is a refusal (POLICY.CAP_EXHAUSTED): such
 * a claim could never be approved, so it is not recorded; room that comes back after a revocation is seen
 * by the next submission. Pure and deterministic: inputs are only read.
 */
export function assess(
  catalog: PolicyCatalog,
  draft: ClaimDraft,
  grants: readonly GrantInScope[],
): Assessment {
  const program = findProgram(catalog, draft.programCode);
  if (!program) {
    return refusedUpFront(catalog, draft, undefined, {
      code: 'POLICY.PROGRAM_UNKNOWN',
      clause: '—',
      message: `no program "${draft.programCode}" in ${catalog.id}`,
    });
  }
  if (!isClaimable(program)) {
    return refusedUpFront(catalog, draft, program, {
      code: 'POLICY.PROGRAM_NOT_CLAIMABLE',
      clause: program.clause,
      message: `${program.code} takes no claims (${program.scope})`,
    });
  }
  const reading = readEvidence(catalog, program.code, draft.evidence);
  if (!reading.ok) {
    // A failed reading always carries at least one error.
    const first = reading.errors[0] as EvidenceError;
    const details = { errors: reading.errors.length, firstCode: first.code, firstPath: first.path };
    return refusedUpFront(catalog, draft, program, {
      code: 'POLICY.EVIDENCE_INVALID',
      clause: '—',
      message: 'the evidence is malformed; see validateEvidence',
      details,
    });
  }
  const input: AssessmentInput = {
    catalog,
    program,
    draft,
    values: reading.values,
    subjectKey: reading.subjectKey,
  };
  const findings: Findings = { refusals: [], trace: [] };
  findings.trace.push({
    step: 'program',
    clause: program.clause,
    message: `${program.code}: ${program.titleEn} (${program.scope}, ${program.funding} funding)`,
  });
  checkClaim(input, findings);
  checkDatedField(input, findings);
  const { base, ruleAmount } = applyRule(input, findings);
  checkPredicates(input, findings);
  checkScope(input, grants, findings);
  const caps = capRooms(input, ruleAmount, grants, findings);
  if (ruleAmount.isZero() && findings.refusals.length === 0) {
    findings.refusals.push({
      code: 'POLICY.RULE_AMOUNT_ZERO',
      clause: program.clause,
      message: 'the rule gives 0.00: nothing could be approved',
    });
  }
  const eligible = findings.refusals.length === 0;
  const ceiling = eligible
    ? Money.min(draft.requestedAmount, ruleAmount, ...caps.map((cap) => cap.room))
    : Money.ZERO;
  // Every zero that could reach the minimum (request, rule, a room used up) is a refusal above.
  assertInvariant(!eligible || ceiling.isPositive(), 'an eligible claim has a positive ceiling');
  const message = eligible
    ? `min(requested ${draft.requestedAmount.toString()}, rule ${ruleAmount.toString()}, every room)`
    : 'not eligible';
  findings.trace.push({
    step: 'ceiling',
    clause: program.clause,
    message,
    amount: ceiling.toString(),
  });
  return {
    policyId: catalog.id,
    catalogHash: catalog.hash,
    programCode: program.code,
    scopeKind: program.scope,
    scopeKey: scopeKey(catalog, program.code, draft.supportYear, reading.subjectKey),
    subjectKey: reading.subjectKey,
    eligible,
    refusals: findings.refusals,
    base,
    ruleAmount,
    caps,
    ceiling,
    trace: findings.trace,
  };
}

/** An assessment that stops before the rules: the program is unknown or takes no claims, or the evidence is unreadable. */
function refusedUpFront(
  catalog: PolicyCatalog,
  draft: ClaimDraft,
  program: ProgramDefinition | undefined,
  refusal: RuleRefusal,
): Assessment {
  return {
    policyId: catalog.id,
    catalogHash: catalog.hash,
    programCode: draft.programCode,
    scopeKind: program?.scope ?? 'not-claimable',
    // Without a readable subject the widest scope of the program is the honest key.
    scopeKey: draft.programCode,
    subjectKey: null,
    eligible: false,
    refusals: [refusal],
    base: null,
    ruleAmount: Money.ZERO,
    caps: [],
    ceiling: Money.ZERO,
    trace: [{ step: 'refused', clause: refusal.clause, message: refusal.message }],
  };
}
