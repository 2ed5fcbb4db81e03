/**
 * The ledger's events: the only source of truth. Plain readonly JSON literals, stored by the explicit
 * `type` name. Money is always a 2-digit decimal string; times are ISO-8601 strings.
 * A schema change adds a new version via an upcaster on read; stored events are never rewritten.
 */
import type { MoneyString } from '@hz/money';

export type Funder = 'city' | 'district';
export type DistrictGroupId = 'A' | 'B';

export type JsonLike = string | number | boolean | null | JsonLike[] | { [key: string]: JsonLike };

// ---- applicant-{uscc} stream: the applicant itself ----

export interface ApplicantRegistered {
  readonly type: 'ApplicantRegistered';
  readonly data: { readonly uscc: string; readonly name: string; readonly district: string };
}

export interface ApplicantRelocated {
  readonly type: 'ApplicantRelocated';
  readonly data: {
    readonly uscc: string;
    readonly fromDistrict: string;
    readonly toDistrict: string;
    readonly effectiveDate: string;
  };
}

export interface IntegrityFlagRaised {
  readonly type: 'IntegrityFlagRaised';
  readonly data: { readonly uscc: string; readonly reason: string };
}

export interface IntegrityFlagCleared {
  readonly type: 'IntegrityFlagCleared';
  readonly data: { readonly uscc: string; readonly reason: string };
}

// ---- applicant-{uscc} stream: the lifecycle of each claim ----

/** What the engine said at submission, kept for the reviewer and the auditor. */
export interface AssessmentRecord {
  readonly eligible: boolean;
  readonly base: MoneyString | null;
  readonly ruleAmount: MoneyString;
  readonly ceiling: MoneyString;
  readonly caps: ReadonlyArray<{
    readonly capId: string;
    readonly clause: string;
    readonly cap: MoneyString;
    readonly granted: MoneyString;
    readonly room: MoneyString;
  }>;
  readonly trace: ReadonlyArray<{ readonly [key: string]: JsonLike }>;
}

/**
 * The one declaration of a claim as filed (docs/architecture.md §2). The event below, the claim state
 * (applicant/state.ts), its view (applicant/views.ts) and the auditor's model (@hz/audit) derive their
 * claim fields from it; `Amount` is MoneyString in events and views, Money in state.
 */
export interface ClaimFiling<Amount = MoneyString> {
  readonly claimId: string;
  readonly applicant: string;
  readonly programCode: string;
  readonly supportYear: number;
  readonly subjectKey: string | null;
  readonly scopeKey: string;
  readonly requestedAmount: Amount;
  readonly evidence: { readonly [key: string]: JsonLike };
}

/** The ClaimFiling fields of a submission (or of a claim holding them), the amount mapped by `amount`. */
export function claimFilingOf<From, To>(
  claim: ClaimFiling<From>,
  amount: (requested: From) => To,
): ClaimFiling<To> {
  const { claimId, applicant, programCode, supportYear, subjectKey, scopeKey, evidence } = claim;
  const requestedAmount = amount(claim.requestedAmount);
  return {
    claimId,
    applicant,
    programCode,
    supportYear,
    subjectKey,
    scopeKey,
    requestedAmount,
    evidence,
  };
}

/** The catalog version a submission, decision or plan was evaluated under. */
export interface PolicyStamp {
  readonly policyId: string;
  readonly catalogHash: string;
}

/** A claim as filed, with the engine's assessment under the recorded catalog. */
export interface AssessedClaim<Amount = MoneyString> extends ClaimFiling<Amount>, PolicyStamp {
  readonly assessment: AssessmentRecord;
}

export interface ClaimSubmitted {
  readonly type: 'ClaimSubmitted';
  readonly data: AssessedClaim & {
    /** Hangzhou calendar date of the submission (optional, added later): a catalog's application deadline reads it. */
    readonly submittedOn?: string;
  };
}

export interface ClaimWithdrawn {
  readonly type: 'ClaimWithdrawn';
  readonly data: { readonly claimId: string; readonly reason: string | null };
}

/**
 * A reviewer's approval. When `countersignRequired` the amount is reserved against the caps and the
 * claim waits in `pending_countersign`; otherwise it is approved at once. The decision records the
 * catalog version, the ceiling and cap room it was checked against, and the fiscal split with the
 * applicant's district at that moment, so later relocations never rewrite it.
 */
/** The fiscal split recorded with an approval (clause 十二), as stored and as shown. */
export interface FiscalSplitRecord {
  readonly funding: 'split' | 'city';
  readonly district: string;
  readonly districtGroup: DistrictGroupId | null;
  readonly cityRate: string;
  readonly cityShare: MoneyString;
  readonly districtShare: MoneyString;
}

/** The terms of an approval, declared once: the event below, the state's Approval and the ApprovalView. */
export interface ApprovalTerms<Amount = MoneyString> extends PolicyStamp {
  readonly amount: Amount;
  readonly reasons: readonly string[];
  readonly ruleAmount: Amount;
  readonly ceiling: Amount;
  readonly countersignRequired: boolean;
}

export interface ClaimApproved {
  readonly type: 'ClaimApproved';
  readonly data: ApprovalTerms & {
    readonly claimId: string;
    /** The approving reviewer (also in metadata.actor); kept in data because separation of duties depends on it. */
    readonly approvedBy?: string;
    readonly capsBefore: AssessmentRecord['caps'];
    readonly countersignThreshold: MoneyString;
    readonly split: FiscalSplitRecord;
    /** The log position of the view the reviewer decided from (added later, optional; applicant/stale-view.ts). */
    readonly viewPosition?: string;
  };
}

export interface ClaimRejected {
  readonly type: 'ClaimRejected';
  readonly data: {
    readonly claimId: string;
    readonly reasons: readonly string[];
    /** As on ClaimApproved: the position of the view the reviewer decided from, when sent. */
    readonly viewPosition?: string;
  };
}

export interface ApprovalCountersigned {
  readonly type: 'ApprovalCountersigned';
  /** `countersignedBy` (optional, added later) is the second reviewer; disbursers must differ from both. */
  readonly data: {
    readonly claimId: string;
    readonly approvedBy: string;
    readonly countersignedBy?: string;
    readonly reasons: readonly string[];
  };
}

/** The second reviewer refused the approval: the reservation is released and the claim is rejected. */
export interface ApprovalCountersignRejected {
  readonly type: 'ApprovalCountersignRejected';
  readonly data: {
    readonly claimId: string;
    readonly approvedBy: string;
    readonly countersignedBy?: string;
    readonly reasons: readonly string[];
  };
}

/** How a payment left the treasury: a channel a finance officer records (DisbursementRecorded v2). */
export type RecordedPaymentChannel = 'bank-transfer' | 'treasury-direct';
/** 'unrecorded': a v1 payment, written before the channel was recorded (the upcaster's value). */
export type PaymentChannel = RecordedPaymentChannel | 'unrecorded';
export const RECORDED_PAYMENT_CHANNELS: readonly RecordedPaymentChannel[] = [
  'bank-transfer',
  'treasury-direct',
];
export const PAYMENT_CHANNELS: readonly PaymentChannel[] = [
  ...RECORDED_PAYMENT_CHANNELS,
  'unrecorded',
];

/** DisbursementRecorded v1, as stored before the channel (docs/architecture.md §2, upcasting). */
export interface DisbursementRecordedV1Data {
  readonly claimId: string;
  readonly funder: Funder;
  /** The district treasury paying when funder = 'district' (the one recorded in the approval split). */
  readonly district: string;
  readonly amount: MoneyString;
  readonly paymentRef: string;
  readonly paidAt: string;
}

/** v2 (current): v1 and the payment channel; stored v1 events are upcast in stored-event.ts. */
export interface DisbursementRecorded {
  readonly type: 'DisbursementRecorded';
  readonly data: DisbursementRecordedV1Data & { readonly channel: PaymentChannel };
}

/**
 * Revocation: the grant stops counting against caps; unpaid shares are cancelled; every paid share
 * becomes a receivable from the applicant to that funder.
 */
export interface ClaimRevoked {
  readonly type: 'ClaimRevoked';
  readonly data: {
    readonly claimId: string;
    readonly reasons: readonly string[];
    readonly district: string;
    readonly cancelled: { readonly city: MoneyString; readonly district: MoneyString };
    readonly receivable: { readonly city: MoneyString; readonly district: MoneyString };
  };
}

export interface RecoveryRecorded {
  readonly type: 'RecoveryRecorded';
  readonly data: {
    readonly claimId: string;
    readonly funder: Funder;
    readonly district: string;
    readonly amount: MoneyString;
    readonly recoveryRef: string;
    readonly recoveredAt: string;
  };
}

export type ApplicantEvent =
  | ApplicantRegistered
  | ApplicantRelocated
  | IntegrityFlagRaised
  | IntegrityFlagCleared
  | ClaimSubmitted
  | ClaimWithdrawn
  | ClaimApproved
  | ClaimRejected
  | ApprovalCountersigned
  | ApprovalCountersignRejected
  | DisbursementRecorded
  | ClaimRevoked
  | RecoveryRecorded;

// ---- allocation-{planId} stream (clause 九) ----

/** A decided plan's header, declared once: the event below, the plan state and AllocationPlanView. */
export interface AllocationPlanHeader<Amount = MoneyString> extends PolicyStamp {
  readonly planId: string;
  readonly pool: Amount;
  readonly decidedAt: string;
  readonly programCode: string;
}

/** One district's share of a plan (score and amount). */
export interface DistrictAllocation<Amount = MoneyString> {
  readonly district: string;
  readonly score: string;
  readonly amount: Amount;
}

/** One payment of the city to a district against a plan. */
export interface AllocationPaymentRecord<Amount = MoneyString> {
  readonly district: string;
  readonly amount: Amount;
  readonly paymentRef: string;
  readonly paidAt: string;
}

export interface AllocationPlanDecided {
  readonly type: 'AllocationPlanDecided';
  readonly data: AllocationPlanHeader & {
    readonly allocations: ReadonlyArray<DistrictAllocation>;
  };
}

/** The city pays a district its allocation (in one or more payments, never above the allocation). */
export interface AllocationDisbursementRecorded {
  readonly type: 'AllocationDisbursementRecorded';
  readonly data: AllocationPaymentRecord & { readonly planId: string };
}

export type AllocationEvent = AllocationPlanDecided | AllocationDisbursementRecorded;

// ---- payment-ref-{ref} / recovery-ref-{ref} streams: globally unique references ----

export interface ReferenceReserved {
  readonly type: 'ReferenceReserved';
  readonly data: {
    readonly kind: 'payment' | 'recovery';
    readonly reference: string;
    /** SHA-256 of the canonical content of the payment, to tell a replay from a reuse. */
    readonly contentHash: string;
    /** The stream and claim or plan the reference was used for. */
    readonly streamId: string;
    readonly subjectId: string;
  };
}

// ---- period-{YYYY} streams: period close (issue 18; libs/application/src/period-close.ts) ----

/** The funders' books for a fiscal year are closed: later business events dated inside it are refused. */
export interface PeriodClosed {
  readonly type: 'PeriodClosed';
  readonly data: {
    /** The fiscal year, 'YYYY' (Hangzhou business dates). */
    readonly period: string;
    /** 'city' and/or 'district' (every district treasury): the funders whose books close. */
    readonly funders: readonly string[];
    readonly reasons: readonly string[];
  };
}

/**
 * A movement dated inside a closed period, recorded after the close as an explicit adjustment: kept on the
 * period's stream, never folded into the claim's figures, and reported apart (the audit pack lists it).
 */
export interface PostCloseAdjustmentRecorded {
  readonly type: 'PostCloseAdjustmentRecorded';
  readonly data: {
    readonly period: string;
    readonly funder: string;
    readonly kind: 'disbursement' | 'recovery';
    readonly subjectId: string;
    readonly amount: MoneyString;
    readonly reference: string;
    /** The business date of the movement, inside the closed period. */
    readonly datedOn: string;
    readonly reasons: readonly string[];
  };
}

export type PeriodEvent = PeriodClosed | PostCloseAdjustmentRecorded;

export type LedgerEvent = ApplicantEvent | AllocationEvent | ReferenceReserved | PeriodEvent;
export type LedgerEventType = LedgerEvent['type'];

export const LEDGER_EVENT_TYPES: readonly LedgerEventType[] = [
  'ApplicantRegistered',
  'ApplicantRelocated',
  'IntegrityFlagRaised',
  'IntegrityFlagCleared',
  'ClaimSubmitted',
  'ClaimWithdrawn',
  'ClaimApproved',
  'ClaimRejected',
  'ApprovalCountersigned',
  'ApprovalCountersignRejected',
  'DisbursementRecorded',
  'ClaimRevoked',
  'RecoveryRecorded',
  'AllocationPlanDecided',
  'AllocationDisbursementRecorded',
  'ReferenceReserved',
  'PeriodClosed',
  'PostCloseAdjustmentRecorded',
];

// ---- stream naming: claim ids route to their stream without a lookup ----

export const applicantStreamId = (uscc: string): string => `applicant-${uscc}`;
export const allocationStreamId = (planId: string): string => `allocation-${planId}`;
export const periodStreamId = (period: string): string => `period-${period}`;
/** A fiscal year the ledger can hold, and so close: 2000 … 2099 (the period streams that can exist). */
export const PERIOD_PATTERN = /^20[0-9]{2}$/;
export const PERIOD_YEARS: readonly string[] = Array.from({ length: 100 }, (_, index) =>
  String(2000 + index),
);
export const referenceStreamId = (kind: 'payment' | 'recovery', reference: string): string =>
  `${kind}-ref-${reference}`;

/** Claim ids are `{uscc}-{n}` with n counting the applicant's claims from 1. */
export const claimIdFor = (uscc: string, sequence: number): string => `${uscc}-${sequence}`;

export function applicantOfClaimId(claimId: string): string | undefined {
  const match = /^([0-9A-HJ-NPQRTUWXY]{18})-([1-9][0-9]{0,8})$/.exec(claimId);
  return match?.[1];
}
