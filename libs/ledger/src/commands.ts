/**
 * Commands: readonly `{type, data, metadata}` literals with imperative names. HTTP and CLI send the same
 * ones. What else is known of each command (stream, roles, decider branch, HTTP route and request fields)
 * is its entry in command-registry.ts. Money is a 2-digit decimal string (the
 * deciders parse it, so the domain guards itself); `now` and every id come in here, never from a clock.
 */
import type { MoneyString } from '@hz/money';
import type { Funder, JsonLike, RecordedPaymentChannel } from './events';

/** `adjuster` records post-close adjustments only (period/adjustment-duties.ts). */
export type Role = 'applicant' | 'reviewer' | 'finance' | 'auditor' | 'admin' | 'adjuster';

export interface CommandMetadata {
  /** The authenticated subject (JWT `sub`). */
  readonly actor: string;
  /** The role the actor acts in for this command (one of the token's roles). */
  readonly role: Role;
  /** For role 'applicant': the USCC the actor acts for (JWT `applicant` claim). */
  readonly applicant?: string;
  /** Ledger time as ISO-8601, used for business checks and as the decision time. */
  readonly now: string;
  readonly idempotencyKey: string;
  readonly correlationId: string;
  readonly causationId: string;
}

interface Command<TType extends string, TData> {
  readonly type: TType;
  readonly data: TData;
  readonly metadata: CommandMetadata;
}

export type RegisterApplicant = Command<
  'RegisterApplicant',
  { readonly uscc: string; readonly name: string; readonly district: string }
>;
export type RelocateApplicant = Command<
  'RelocateApplicant',
  { readonly uscc: string; readonly district: string; readonly effectiveDate: string }
>;
export type RaiseIntegrityFlag = Command<
  'RaiseIntegrityFlag',
  { readonly uscc: string; readonly reason: string }
>;
export type ClearIntegrityFlag = Command<
  'ClearIntegrityFlag',
  { readonly uscc: string; readonly reason: string }
>;

export type SubmitClaim = Command<
  'SubmitClaim',
  {
    readonly applicant: string;
    readonly programCode: string;
    readonly supportYear: number;
    readonly requestedAmount: MoneyString;
    readonly evidence: { readonly [key: string]: JsonLike };
  }
>;
export type WithdrawClaim = Command<
  'WithdrawClaim',
  { readonly claimId: string; readonly reason?: string | null }
>;

export type DecideClaim = Command<
  'DecideClaim',
  | {
      readonly claimId: string;
      readonly outcome: 'approve';
      readonly amount: MoneyString;
      readonly reasons: readonly string[];
      readonly viewPosition?: string;
    }
  | {
      readonly claimId: string;
      readonly outcome: 'reject';
      readonly reasons: readonly string[];
      readonly viewPosition?: string;
    }
>;
export type CountersignApproval = Command<
  'CountersignApproval',
  {
    readonly claimId: string;
    readonly outcome: 'confirm' | 'reject';
    readonly reasons: readonly string[];
  }
>;
export type RecordDisbursement = Command<
  'RecordDisbursement',
  {
    readonly claimId: string;
    readonly funder: Funder;
    readonly amount: MoneyString;
    readonly paymentRef: string;
    readonly paidAt: string;
    /** How it was paid (DisbursementRecorded v2); bank-transfer when not given. */
    readonly channel?: RecordedPaymentChannel;
  }
>;
export type RevokeClaim = Command<
  'RevokeClaim',
  { readonly claimId: string; readonly reasons: readonly string[] }
>;
export type RecordRecovery = Command<
  'RecordRecovery',
  {
    readonly claimId: string;
    readonly funder: Funder;
    readonly amount: MoneyString;
    readonly recoveryRef: string;
    readonly recoveredAt: string;
  }
>;

export type DecideAllocationPlan = Command<
  'DecideAllocationPlan',
  {
    readonly planId: string;
    readonly pool: MoneyString;
    readonly scores: ReadonlyArray<{ readonly district: string; readonly score: string }>;
    readonly decidedAt: string;
  }
>;
export type RecordAllocationDisbursement = Command<
  'RecordAllocationDisbursement',
  {
    readonly planId: string;
    readonly district: string;
    readonly amount: MoneyString;
    readonly paymentRef: string;
    readonly paidAt: string;
  }
>;

/** Commands on the applicant-{uscc} stream that address the applicant itself. */
export type ApplicantProfileCommand =
  RegisterApplicant | RelocateApplicant | RaiseIntegrityFlag | ClearIntegrityFlag;
/** Commands on the applicant-{uscc} stream that address one claim by its id. */
export type ClaimLifecycleCommand =
  | WithdrawClaim
  | DecideClaim
  | CountersignApproval
  | RecordDisbursement
  | RevokeClaim
  | RecordRecovery;
export type ApplicantCommand = ApplicantProfileCommand | SubmitClaim | ClaimLifecycleCommand;
export type AllocationCommand = DecideAllocationPlan | RecordAllocationDisbursement;
export type LedgerCommand = ApplicantCommand | AllocationCommand;
export type LedgerCommandType = LedgerCommand['type'];
