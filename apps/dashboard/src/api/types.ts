/**
 * The JSON the dashboard reads, as the API sends it (libs/api/src/http, libs/api/src/queries).
 * Money is always a 2-digit decimal string. Fields the UI can live without are optional, so a
 * read model that adds a field does not break the dashboard.
 */

export type Funder = 'city' | 'district';
export type ClaimStatus =
  'submitted' | 'pending_countersign' | 'approved' | 'rejected' | 'withdrawn' | 'revoked';

export interface FunderAmounts {
  readonly city: string;
  readonly district: string;
}

export interface TraceStep {
  readonly step: string;
  readonly clause: string;
  readonly message: string;
  readonly amount?: string;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface CapRoom {
  readonly capId: string;
  readonly clause: string;
  readonly cap: string;
  readonly granted: string;
  readonly room: string;
}

export interface Assessment {
  readonly eligible: boolean;
  readonly base?: string | null;
  readonly ruleAmount: string;
  readonly ceiling: string;
  readonly caps?: readonly CapRoom[];
  readonly trace: readonly TraceStep[];
}

export interface FiscalSplit {
  readonly funding: 'split' | 'city';
  readonly district: string;
  readonly districtGroup: 'A' | 'B' | null;
  readonly cityRate: string;
  readonly cityShare: string;
  readonly districtShare: string;
}

export interface Approval {
  readonly amount: string;
  readonly approvedBy: string;
  readonly reasons: readonly string[];
  readonly ceiling?: string;
  readonly ruleAmount?: string;
  readonly countersignRequired?: boolean;
  readonly split: FiscalSplit;
}

export interface MoneyMovement {
  readonly funder: Funder;
  readonly district?: string;
  readonly amount: string;
  readonly reference: string;
  readonly at: string;
}

export interface ClaimDetail {
  readonly claimId: string;
  readonly applicant: string;
  readonly applicantName?: string;
  readonly programCode: string;
  readonly clause?: string;
  readonly supportYear: number;
  readonly subjectKey?: string | null;
  readonly requestedAmount: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly policyId?: string;
  readonly catalogHash?: string;
  readonly assessment: Assessment;
  readonly status: ClaimStatus;
  readonly approval?: Approval | null;
  readonly countersignedBy?: string | null;
  readonly reasons?: readonly string[];
  readonly paid?: FunderAmounts;
  /** Still to pay per funder (approved claims only). */
  readonly outstanding?: FunderAmounts;
  readonly payments?: readonly MoneyMovement[];
  readonly cancelled?: FunderAmounts;
  readonly receivable?: FunderAmounts;
  readonly recovered?: FunderAmounts;
}

export interface HistoryEntry {
  readonly revision: string | number;
  readonly position: string | number;
  readonly type: string;
  readonly actor?: string;
  readonly role?: string;
  readonly occurredAt?: string;
  readonly recordedAt?: string;
  readonly hash?: string;
  readonly prevHash?: string | null;
  readonly data?: unknown;
}

export interface ClaimListItem {
  readonly claimId: string;
  readonly applicant: string;
  readonly applicantName?: string;
  readonly district?: string;
  readonly programCode: string;
  readonly supportYear: number;
  readonly status: ClaimStatus;
  readonly requestedAmount: string;
  readonly ceiling?: string;
  readonly approvedAmount?: string | null;
  readonly approvedBy?: string | null;
  readonly submittedAt?: string;
  readonly countersignRequired?: boolean;
  readonly split?: (Omit<FiscalSplit, 'funding'> & { readonly funding?: 'split' | 'city' }) | null;
  readonly paid?: FunderAmounts | null;
  readonly cancelled?: FunderAmounts | null;
  readonly receivable?: FunderAmounts | null;
  readonly recovered?: FunderAmounts | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface ApplicantProfile {
  readonly uscc: string;
  readonly name: string;
  readonly district: string;
  readonly districtGroup?: 'A' | 'B';
  readonly integrityFlag?: { readonly reason: string } | null;
  readonly claims?: ReadonlyArray<{
    readonly claimId: string;
    readonly programCode: string;
    readonly supportYear: number;
    readonly status: ClaimStatus;
  }>;
}

export interface CapRow {
  readonly capId?: string;
  /** 'annual' | 'one-time' | 'subject' | 'applicant-total' */
  readonly kind?: string;
  readonly programCode: string;
  readonly clause?: string;
  readonly supportYear: number | null;
  readonly subjectKey?: string | null;
  readonly cap: string | null;
  readonly granted: string;
  readonly remaining: string | null;
  readonly paid?: string;
}

export interface OneTimeAward {
  readonly applicant: string;
  readonly programCode: string;
  readonly clause?: string;
  readonly claimId: string;
  readonly amount: string;
  readonly supportYear?: number;
  readonly subjectKey?: string | null;
  readonly status?: string;
  readonly awardedAt?: string;
}

/** One funder's figures in one period (a month `YYYY-MM` or a year `YYYY`). */
export interface FiscalRow {
  /** 'city', or a district treasury ('district' with `district`, or the district code itself). */
  readonly funder: string;
  readonly district?: string | null;
  readonly period: string;
  readonly programCode?: string;
  readonly clause?: string;
  readonly committed: string;
  readonly disbursed: string;
  readonly cancelled: string;
  readonly outstanding: string;
  readonly receivable: string;
  readonly recovered: string;
  /** Closing balance of receivables (receivable − recovered up to the period's end). */
  readonly receivableOutstanding?: string;
}

export interface CommandResult {
  readonly claimId?: string;
  readonly status?: ClaimStatus;
  readonly position?: string | number;
}
