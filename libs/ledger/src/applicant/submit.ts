/** SubmitClaim (docs/policy.md §7 "Submit") and WithdrawClaim. */
import {
  assess,
  findProgram,
  isClaimable,
  scopeKey,
  validateEvidence,
  type Assessment,
  type EvidenceError,
  type PolicyCatalog,
} from '@hz/policy';
import type { SubmitClaim, WithdrawClaim } from '../commands';
import { catalogOnDate, type DecisionContext } from '../context';
import { assertInvariant, DomainError } from '../errors';
import { claimIdFor, type ClaimSubmitted, type ClaimWithdrawn } from '../events';
import { hangzhouDateOf, parseAmount } from '../guards';
import {
  assessmentRecordOf,
  claimsInScope,
  grantsOf,
  isGrant,
  isOpen,
  isSingleGrantScope,
  refusalOf,
  requireClaim,
  requireStatus,
} from './claims';
import type { ApplicantState, RegisteredApplicant } from './state';

function requireSubmittingApplicant(state: ApplicantState, uscc: string): RegisteredApplicant {
  if (state.status !== 'registered')
    throw new DomainError('APPLICANT.NOT_REGISTERED', `applicant ${uscc} is not registered`, {
      uscc,
    });
  assertInvariant(state.uscc === uscc, 'a claim is decided on its own applicant stream', {
    uscc,
    stream: state.uscc,
  });
  if (state.integrityFlag !== null)
    throw new DomainError(
      'APPLICANT.INTEGRITY_FLAGGED',
      'an integrity-flagged applicant cannot submit claims (clause 十)',
    );
  return state;
}

function requireSupportYear(catalog: PolicyCatalog, supportYear: unknown): number {
  if (typeof supportYear !== 'number' || !Number.isInteger(supportYear)) {
    throw new DomainError('COMMAND.INVALID', 'supportYear must be an integer year', {
      field: 'supportYear',
    });
  }
  const { supportYearMin, supportYearMax } = catalog;
  if (supportYear < supportYearMin || supportYear > supportYearMax) {
    throw new DomainError(
      'POLICY.SUPPORT_YEAR_OUT_OF_RANGE',
      `supportYear must be ${supportYearMin}..${supportYearMax}`,
      { supportYear, supportYearMin, supportYearMax },
    );
  }
  return supportYear;
}

function evidenceRefusal(errors: readonly EvidenceError[]): DomainError {
  const first = errors[0];
  const code =
    first !== undefined && first.code.startsWith('EVIDENCE.')
      ? (first.code as `EVIDENCE.${string}`)
      : 'EVIDENCE.INVALID';
  const listed = errors.map((error) => ({
    code: error.code,
    path: error.path,
    message: error.message,
  }));
  return new DomainError(code, first?.message ?? 'the evidence is malformed', { errors: listed });
}

/** One grant and one open claim at most per one-time or per-subject scope (invariant 1). */
function requireScopeFree(
  applicant: RegisteredApplicant,
  assessment: Assessment,
  scope: string,
  exceptClaimId: string | null,
): void {
  if (!isSingleGrantScope(assessment.scopeKind)) return;
  const others = claimsInScope(applicant, scope, exceptClaimId);
  const granted = others.find(isGrant);
  if (granted !== undefined) {
    throw new DomainError('POLICY.ALREADY_AWARDED', `scope ${scope} already holds a grant`, {
      scopeKey: scope,
      claimId: granted.claimId,
    });
  }
  const open = others.find(isOpen);
  if (open !== undefined) {
    throw new DomainError(
      'CLAIM.OPEN_CLAIM_IN_SCOPE',
      `claim ${open.claimId} is still open in scope ${scope}`,
      { scopeKey: scope, claimId: open.claimId },
    );
  }
}

export function submitClaim(
  command: SubmitClaim,
  state: ApplicantState,
  context: DecisionContext,
): [ClaimSubmitted] {
  // The version in force on the submission date (docs/policy.md §11); the claim records which.
  const submittedOn = hangzhouDateOf(command.metadata.now);
  const catalog = catalogOnDate(context, submittedOn);
  const { applicant: uscc, programCode, evidence } = command.data;
  const applicant = requireSubmittingApplicant(state, uscc);
  const requestedAmount = parseAmount(command.data.requestedAmount, 'requestedAmount');
  if (!requestedAmount.isPositive())
    throw new DomainError('CLAIM.AMOUNT_NOT_POSITIVE', 'the requested amount must be above 0.00');
  const program = findProgram(catalog, programCode);
  if (program === undefined)
    throw new DomainError('POLICY.PROGRAM_UNKNOWN', `unknown program ${programCode}`, {
      programCode,
    });
  if (!isClaimable(program))
    throw new DomainError(
      'POLICY.PROGRAM_NOT_CLAIMABLE',
      `program ${programCode} takes no claims`,
      { programCode },
    );
  const supportYear = requireSupportYear(catalog, command.data.supportYear);
  const validation = validateEvidence(catalog, programCode, evidence);
  if (!validation.ok) throw evidenceRefusal(validation.errors);
  const scope = scopeKey(catalog, programCode, supportYear, validation.subjectKey);
  const assessment = assess(
    catalog,
    { programCode, supportYear, requestedAmount, evidence, submittedOn },
    grantsOf(applicant),
  );
  assertInvariant(
    assessment.scopeKey === scope,
    'the engine assesses the scope the ledger counts in',
    { scope, assessed: assessment.scopeKey },
  );
  requireScopeFree(applicant, assessment, scope, null);
  if (!assessment.eligible) throw refusalOf(assessment);
  const claimId = claimIdFor(uscc, applicant.claimCount + 1);
  assertInvariant(applicant.claims[claimId] === undefined, 'claim ids are never reused', {
    claimId,
  });
  return [
    {
      type: 'ClaimSubmitted',
      data: {
        claimId,
        applicant: uscc,
        programCode,
        supportYear,
        subjectKey: validation.subjectKey,
        scopeKey: scope,
        requestedAmount: requestedAmount.toString(),
        evidence,
        policyId: catalog.id,
        catalogHash: catalog.hash,
        assessment: assessmentRecordOf(assessment),
        submittedOn,
      },
    },
  ];
}

export function withdrawClaim(command: WithdrawClaim, state: ApplicantState): [ClaimWithdrawn] {
  const { claim } = requireClaim(state, command.data.claimId);
  requireStatus(
    claim,
    'submitted',
    'CLAIM.NOT_SUBMITTED',
    'only a claim without a decision can be withdrawn',
  );
  const reason =
    typeof command.data.reason === 'string' && command.data.reason.trim().length > 0
      ? command.data.reason.trim()
      : null;
  return [{ type: 'ClaimWithdrawn', data: { claimId: claim.claimId, reason } }];
}
