/**
 * Expected business refusals: a DomainError carries a stable `code` (the API contract) and a `kind`
 * that the HTTP layer maps to a status in one exception filter. Technical failures are plain Errors
 * (InvariantViolation among them) and must fail loudly instead.
 */
import type { JsonLike } from './events';

export type DomainErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'rule';

/** The HTTP status each kind maps to (docs/architecture.md §6). */
export const HTTP_STATUS_BY_KIND: Readonly<Record<DomainErrorKind, number>> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule: 422,
};

/** Every fixed code and its kind. Codes are API: never rename one, add a new one instead. */
export const DOMAIN_ERROR_CODES = {
  'ACCESS.ROLE_NOT_ALLOWED': 'forbidden',
  'ACCESS.NOT_OWN_APPLICANT': 'forbidden',
  'COMMAND.INVALID': 'invalid',
  'COMMAND.UNKNOWN_TYPE': 'invalid',
  'USCC.INVALID': 'invalid',
  'APPLICANT.NOT_FOUND': 'not_found',
  'APPLICANT.NOT_REGISTERED': 'rule',
  'APPLICANT.ALREADY_REGISTERED': 'conflict',
  'APPLICANT.NAME_REQUIRED': 'invalid',
  'APPLICANT.UNKNOWN_DISTRICT': 'invalid',
  'APPLICANT.SAME_DISTRICT': 'rule',
  'APPLICANT.RELOCATION_IN_FUTURE': 'rule',
  'APPLICANT.INTEGRITY_FLAGGED': 'rule',
  'APPLICANT.ALREADY_FLAGGED': 'conflict',
  'APPLICANT.NOT_FLAGGED': 'rule',
  'APPLICANT.REASON_REQUIRED': 'invalid',
  'CLAIM.NOT_FOUND': 'not_found',
  'CLAIM.POLICY_MISMATCH': 'rule',
  'CLAIM.OPEN_CLAIM_IN_SCOPE': 'rule',
  'CLAIM.NOT_SUBMITTED': 'rule',
  'CLAIM.NOT_APPROVED': 'rule',
  'CLAIM.NOT_PENDING_COUNTERSIGN': 'rule',
  'CLAIM.NOT_REVOKED': 'rule',
  'CLAIM.EXCEEDS_CEILING': 'rule',
  'CLAIM.AMOUNT_NOT_POSITIVE': 'rule',
  'CLAIM.REASONS_REQUIRED': 'invalid',
  // The reviewer decided from a view older than a change of the ceiling or split (applicant/stale-view.ts).
  'DECISION.STALE_VIEW': 'conflict',
  // Period close (issue 18; libs/application/src/period-close.ts).
  'PERIOD.INVALID': 'invalid',
  'PERIOD.CLOSED': 'rule',
  'PERIOD.NOT_CLOSED': 'rule',
  'PERIOD.ALREADY_CLOSED': 'conflict',
  'PERIOD.SUBJECT_NOT_FOUND': 'not_found',
  // Policy codes the ledger raises itself, before or besides the engine (same meaning as the engine's).
  'POLICY.ALREADY_AWARDED': 'rule',
  'POLICY.NOT_ELIGIBLE': 'rule',
  'POLICY.PROGRAM_UNKNOWN': 'rule',
  'POLICY.PROGRAM_NOT_CLAIMABLE': 'rule',
  'POLICY.SUPPORT_YEAR_OUT_OF_RANGE': 'rule',
  'SOD.SELF_COUNTERSIGN': 'forbidden',
  'SOD.DISBURSER_DECIDED': 'forbidden',
  'SOD.CLAIM_SUBMITTER': 'forbidden',
  'SOD.CLAIM_APPLICANT': 'forbidden',
  // Whoever had a hand in a claim or plan does not record its post-close adjustment (period/adjustment-duties.ts).
  'SOD.ADJUSTER_INVOLVED': 'forbidden',
  'DISBURSEMENT.AMOUNT_NOT_POSITIVE': 'rule',
  'DISBURSEMENT.EXCEEDS_SHARE': 'rule',
  'DISBURSEMENT.DATED_IN_FUTURE': 'rule',
  'RECOVERY.AMOUNT_NOT_POSITIVE': 'rule',
  'RECOVERY.EXCEEDS_RECEIVABLE': 'rule',
  'RECOVERY.DATED_IN_FUTURE': 'rule',
  'REFERENCE.INVALID': 'invalid',
  'REFERENCE.REUSED': 'conflict',
  'ALLOCATION.NOT_FOUND': 'not_found',
  'ALLOCATION.ALREADY_DECIDED': 'conflict',
  'ALLOCATION.PROGRAM_UNAVAILABLE': 'rule',
  'ALLOCATION.UNKNOWN_DISTRICT': 'invalid',
  'ALLOCATION.DUPLICATE_DISTRICT': 'invalid',
  'ALLOCATION.INVALID_SCORE': 'invalid',
  'ALLOCATION.NO_POSITIVE_SCORE': 'invalid',
  'ALLOCATION.POOL_NOT_POSITIVE': 'rule',
  'ALLOCATION.DISTRICT_NOT_ALLOCATED': 'rule',
  'ALLOCATION.EXCEEDS_ALLOCATION': 'rule',
  'ALLOCATION.DATED_IN_FUTURE': 'rule',
  'IDEMPOTENCY.KEY_REUSED': 'conflict',
  'CONCURRENCY.CONFLICT': 'conflict',
} as const satisfies Readonly<Record<string, DomainErrorKind>>;

export type FixedDomainErrorCode = keyof typeof DOMAIN_ERROR_CODES;

/**
 * Families passed through from other layers with their own stable codes: the policy engine's refusals
 * (`POLICY.*`, 422), its evidence errors (`EVIDENCE.*`, 400) and the money parser's (`MONEY.*`,
 * `DECIMAL.*`, 400).
 */
export const PASS_THROUGH_KINDS = {
  'POLICY.': 'rule',
  'EVIDENCE.': 'invalid',
  'MONEY.': 'invalid',
  'DECIMAL.': 'invalid',
} as const;

export type DomainErrorCode =
  | FixedDomainErrorCode
  | `POLICY.${string}`
  | `EVIDENCE.${string}`
  | `MONEY.${string}`
  | `DECIMAL.${string}`;

export type DomainErrorDetails = { readonly [key: string]: JsonLike };

export function kindOfCode(code: DomainErrorCode): DomainErrorKind {
  if (code in DOMAIN_ERROR_CODES) return DOMAIN_ERROR_CODES[code as FixedDomainErrorCode];
  for (const [prefix, kind] of Object.entries(PASS_THROUGH_KINDS)) {
    if (code.startsWith(prefix)) return kind;
  }
  throw new Error(`unknown domain error code ${code}`);
}

export class DomainError extends Error {
  readonly kind: DomainErrorKind;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = kindOfCode(code);
  }

  get httpStatus(): number {
    return HTTP_STATUS_BY_KIND[this.kind];
  }

  toJSON(): { code: DomainErrorCode; message: string; details: DomainErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** A broken invariant is a bug in our code, never a user error: it must fail loudly (HTTP 500). */
export class InvariantViolation extends Error {
  constructor(
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(`invariant violated: ${message}`);
    this.name = 'InvariantViolation';
  }
}

export function assertInvariant(
  condition: boolean,
  message: string,
  details: DomainErrorDetails = {},
): asserts condition {
  if (!condition) throw new InvariantViolation(message, details);
}
