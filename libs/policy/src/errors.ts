/**
 * A typed error for calls that cannot return a refusal (fiscalSplit, allocate, scopeKey): the caller
 * passed something the policy does not know. The ledger maps the code to a 4xx in its exception filter.
 */
export type PolicyErrorCode =
  | 'POLICY.PROGRAM_UNKNOWN'
  | 'POLICY.DISTRICT_UNKNOWN'
  | 'POLICY.SUBJECT_KEY_REQUIRED'
  | 'POLICY.ALLOCATION_DUPLICATE_DISTRICT'
  | 'POLICY.ALLOCATION_NEGATIVE_SCORE'
  | 'POLICY.ALLOCATION_NO_POSITIVE_SCORE';

export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    readonly details: { readonly [key: string]: string | number | boolean | null } = {},
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}
