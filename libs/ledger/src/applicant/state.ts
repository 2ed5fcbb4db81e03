/**
 * State of the applicant-{uscc} stream: the applicant and every claim it filed. A tagged union on
 * `status` at both levels, so that e.g. a payment on a claim that was never approved cannot be written
 * down. Money is held as Money (exact); the views turn it into 2-digit strings.
 */
import type { Money } from '@hz/money';
import type { ApprovalTerms, AssessedClaim, DistrictGroupId, Funder } from '../events';

export interface FunderAmounts {
  readonly city: Money;
  readonly district: Money;
}

export interface FiscalShares {
  readonly funding: 'split' | 'city';
  /** The applicant's district at the approval decision; later relocations never change it. */
  readonly district: string;
  readonly districtGroup: DistrictGroupId | null;
  readonly cityRate: string;
  readonly shares: FunderAmounts;
}

/** The approval in force: ApprovalTerms (events.ts) with exact Money, its reviewer and fiscal shares. */
export interface Approval extends ApprovalTerms<Money> {
  readonly approvedBy: string;
  readonly split: FiscalShares;
}

/** A payment to the applicant or a recovery from it, as recorded. */
export interface MoneyMovement {
  readonly funder: Funder;
  readonly district: string;
  readonly amount: Money;
  readonly reference: string;
  readonly at: string;
}

/** The claim as submitted (AssessedClaim, events.ts), with exact Money. */
export interface ClaimCore extends AssessedClaim<Money> {
  /** Hangzhou date of submission; null for claims recorded before the field existed. */
  readonly submittedOn: string | null;
  /** Who submitted (the ClaimSubmitted event's metadata actor); null when the event came without metadata. */
  readonly submittedBy: string | null;
}

export interface SubmittedClaim extends ClaimCore {
  readonly status: 'submitted';
}

export interface WithdrawnClaim extends ClaimCore {
  readonly status: 'withdrawn';
  readonly reason: string | null;
}

export interface RejectedClaim extends ClaimCore {
  readonly status: 'rejected';
  readonly reasons: readonly string[];
  /** The approval the countersigner refused, when the rejection came at countersignature. */
  readonly overturnedApproval: Approval | null;
}

export interface PendingCountersignClaim extends ClaimCore {
  readonly status: 'pending_countersign';
  readonly approval: Approval;
}

export interface ApprovedClaim extends ClaimCore {
  readonly status: 'approved';
  readonly approval: Approval;
  readonly countersignedBy: string | null;
  readonly paid: FunderAmounts;
  readonly payments: readonly MoneyMovement[];
}

export interface RevokedClaim extends ClaimCore {
  readonly status: 'revoked';
  readonly approval: Approval;
  readonly countersignedBy: string | null;
  readonly paid: FunderAmounts;
  readonly payments: readonly MoneyMovement[];
  readonly revocationReasons: readonly string[];
  readonly cancelled: FunderAmounts;
  readonly receivable: FunderAmounts;
  readonly recovered: FunderAmounts;
  readonly recoveries: readonly MoneyMovement[];
}

export type ClaimState =
  | SubmittedClaim
  | WithdrawnClaim
  | RejectedClaim
  | PendingCountersignClaim
  | ApprovedClaim
  | RevokedClaim;
export type ClaimStatus = ClaimState['status'];

export interface UnregisteredApplicant {
  readonly status: 'unregistered';
}

export interface RegisteredApplicant {
  readonly status: 'registered';
  readonly uscc: string;
  readonly name: string;
  /** The district in force: the registration's, or the latest relocation's. */
  readonly district: string;
  readonly integrityFlag: { readonly reason: string } | null;
  /** Claims by id, in filing order (ids are non-numeric strings, so insertion order holds). */
  readonly claims: { readonly [claimId: string]: ClaimState };
  readonly claimCount: number;
}

export type ApplicantState = UnregisteredApplicant | RegisteredApplicant;

export const initialApplicantState = (): ApplicantState => ({ status: 'unregistered' });
