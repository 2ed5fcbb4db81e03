/**
 * Read-model rows: plain immutable data, money as 2-digit strings, positions as bigint. These are what the
 * pure evolve functions produce and what a ReadStore persists, column for column.
 */
import type { MoneyString } from '@hz/money';

export type ClaimStatus =
  'submitted' | 'withdrawn' | 'rejected' | 'pending_countersign' | 'approved' | 'revoked';
export const CLAIM_STATUSES: readonly ClaimStatus[] = [
  'submitted',
  'withdrawn',
  'rejected',
  'pending_countersign',
  'approved',
  'revoked',
];

export interface FunderAmounts {
  readonly city: MoneyString;
  readonly district: MoneyString;
}

export interface ClaimSplit {
  readonly funding: 'split' | 'city';
  /** The applicant's district at the approval decision; a later relocation never changes it. */
  readonly district: string;
  readonly districtGroup: 'A' | 'B' | null;
  readonly cityRate: string;
  readonly cityShare: MoneyString;
  readonly districtShare: MoneyString;
}

/** A cap the claim's grant counts against; `cap` is null for a per-subject scope without an amount cap. */
export interface CapRef {
  readonly capId: string;
  readonly cap: MoneyString | null;
}

/** One claim in the queue: where it stands and what each funder owes, paid, cancelled and recovers. */
export interface ClaimSummary {
  readonly claimId: string;
  readonly applicant: string;
  readonly programCode: string;
  readonly supportYear: number;
  readonly subjectKey: string | null;
  readonly status: ClaimStatus;
  readonly requestedAmount: MoneyString;
  /** The amount of the (last) approval decision, also kept when a countersigner overturned it. */
  readonly approvedAmount: MoneyString | null;
  readonly countersignRequired: boolean;
  readonly split: ClaimSplit | null;
  readonly caps: readonly CapRef[];
  readonly paid: FunderAmounts;
  readonly cancelled: FunderAmounts;
  readonly receivable: FunderAmounts;
  readonly recovered: FunderAmounts;
  readonly submittedPosition: bigint;
  readonly submittedAt: string;
  readonly lastPosition: bigint;
  readonly lastRecordedAt: string;
  readonly lastEventType: string;
  /** The policy catalog of the claim (its submission's, then its approval's): fiscal.ts reads clauses from it. */
  readonly policyId: string;
}

/** A cap of one applicant, as it stood after the event at `position`. remaining is derived (cap − granted). */
export interface CapRow {
  readonly applicant: string;
  readonly capId: string;
  /** 'annual' | 'one-time' | 'subject' | 'applicant-total', from the cap id. */
  readonly kind: string;
  readonly programCode: string;
  /** Only annual caps belong to a support year. */
  readonly supportYear: number | null;
  readonly subjectKey: string | null;
  readonly cap: MoneyString | null;
  /** Approved and reserved (pending countersignature) amounts, minus revoked ones. */
  readonly granted: MoneyString;
  /** Disbursed under this cap net of recoveries. */
  readonly paid: MoneyString;
  readonly position: bigint;
  readonly recordedAtMs: number;
}

/** A grant in a one-time scope (at most one is in effect per applicant and program). */
export interface AwardRow {
  readonly applicant: string;
  readonly programCode: string;
  readonly claimId: string;
  readonly amount: MoneyString;
  readonly status: ClaimStatus;
  readonly position: bigint;
}

/** Flows of one funder in one fiscal month, as the ledger knew them after the event at `position`. */
export interface FiscalBucket {
  /** 'city' or a district code. */
  readonly funder: string;
  /** 'YYYY-MM' in business time (see ledger-time.ts). */
  readonly month: string;
  /** The policy clause of the program the flow belongs to (catalog `clause`; allocation plans: 五(九)), '' if unknown. */
  readonly clause: string;
  readonly committed: MoneyString;
  readonly disbursed: MoneyString;
  readonly cancelled: MoneyString;
  readonly receivable: MoneyString;
  readonly recovered: MoneyString;
  readonly position: bigint;
  readonly recordedAtMs: number;
}

export const FISCAL_FLOWS = [
  'committed',
  'disbursed',
  'cancelled',
  'receivable',
  'recovered',
] as const;
export type FiscalFlow = (typeof FISCAL_FLOWS)[number];

/** An applicant as registered (name) and where it is now (district, after relocations). */
export interface ApplicantRow {
  readonly uscc: string;
  readonly name: string;
  /** The current district (the latest relocation's target, else the registration's). */
  readonly district: string;
  /** The position of the event that produced this row. */
  readonly position: bigint;
}

/** One event of a claim's audit trail. */
export interface AuditEntry {
  readonly claimId: string;
  readonly position: bigint;
  readonly revision: bigint;
  readonly streamId: string;
  readonly eventId: string;
  readonly type: string;
  readonly actor: string;
  readonly role: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly hash: string;
  readonly prevHash: string;
  /** The event's data as canonical JSON text (keys in stored order). */
  readonly dataJson: string;
}

export const ZERO_AMOUNTS: FunderAmounts = { city: '0.00', district: '0.00' };
