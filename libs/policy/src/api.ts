/**
 * The public contract of the policy engine. The ledger (libs/ledger) codes against these names;
 * the catalog internals behind them are free to change.
 */
import type { DecimalValue, Money } from '@hz/money';

export type ScopeKind = 'annual' | 'one-time' | 'per-subject' | 'allocation' | 'not-claimable';
export type FundingKind = 'split' | 'city';
export type DistrictGroupId = 'A' | 'B';
export type Funder = 'city' | 'district';

/** Plain JSON evidence as the applicant sent it (validated by validateEvidence). */
export type EvidenceJson = { readonly [key: string]: unknown };

/** A refusal reason with a stable code, e.g. `POLICY.AREA_NOT_ABOVE_MINIMUM`. */
export interface RuleRefusal {
  readonly code: string;
  readonly message: string;
  /** The clause of the policy text the rule comes from, e.g. '三(五)'. */
  readonly clause: string;
  readonly details?: { readonly [key: string]: string | number | boolean | null };
}

/** One step of an assessment, in order; amounts are 2-digit strings. */
export interface TraceStep {
  readonly step: string;
  readonly clause: string;
  readonly message: string;
  readonly amount?: string;
  readonly details?: { readonly [key: string]: string | number | boolean | null };
}

/** An effective grant of the same applicant (approved or reserved, minus revocations). */
export interface GrantInScope {
  readonly claimId: string;
  readonly programCode: string;
  readonly supportYear: number;
  readonly subjectKey: string | null;
  readonly amount: Money;
}

export interface ClaimDraft {
  readonly programCode: string;
  readonly supportYear: number;
  readonly requestedAmount: Money;
  readonly evidence: EvidenceJson;
  /** ISO date of submission; only read when the catalog sets an application deadline. */
  readonly submittedOn?: string;
}

export interface CapRoom {
  /** Stable id of the cap, e.g. 'annual:c1-platform:2024', 'subject:c5-consolidation-warehouse:W1', 'applicant-total:c5-consolidation-warehouse'. */
  readonly capId: string;
  readonly clause: string;
  readonly cap: Money;
  readonly granted: Money;
  readonly room: Money;
}

export interface Assessment {
  readonly policyId: string;
  readonly catalogHash: string;
  readonly programCode: string;
  readonly scopeKind: ScopeKind;
  /** Key of the scope a grant counts in: see scopeKey(). */
  readonly scopeKey: string;
  readonly subjectKey: string | null;
  readonly eligible: boolean;
  /** Empty when eligible. */
  readonly refusals: readonly RuleRefusal[];
  /** The base a percentage applies to (sum of items that count), or null for fixed / tier rules. */
  readonly base: Money | null;
  /** What the rule gives before caps (a fixed amount, rate × base, or the tier). */
  readonly ruleAmount: Money;
  readonly caps: readonly CapRoom[];
  /** min(requested, rule amount, every cap's room); 0.00 when not eligible. */
  readonly ceiling: Money;
  readonly trace: readonly TraceStep[];
}

export type EvidenceValidation =
  | { readonly ok: true; readonly subjectKey: string | null }
  | { readonly ok: false; readonly errors: readonly EvidenceError[] };

/** A malformed-evidence error (HTTP 400), e.g. code `EVIDENCE.FIELD_REQUIRED` at path `items[0].date`. */
export interface EvidenceError {
  readonly code: string;
  readonly path: string;
  readonly message: string;
  /** The underlying parse reason when there is one, e.g. `MONEY.EXPONENT` for `EVIDENCE.INVALID_MONEY`. */
  readonly cause?: string;
}

export interface FiscalSplit {
  readonly funding: FundingKind;
  readonly district: string;
  /** null for city-funded programs. */
  readonly districtGroup: DistrictGroupId | null;
  /** e.g. '0.5', '0.25', '1'. */
  readonly cityRate: string;
  readonly cityShare: Money;
  readonly districtShare: Money;
}

export interface DistrictAllocation {
  readonly district: string;
  readonly score: DecimalValue;
  readonly amount: Money;
}
