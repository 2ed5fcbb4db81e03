/**
 * Plain JSON views of the applicant state (money as 2-digit strings), read straight from the stream by
 * the application service: what the HTTP layer returns for GET /applicants/{uscc} and GET /claims/{id}.
 */
import type { MoneyString } from '@hz/money';
import {
  claimFilingOf,
  type ApprovalTerms,
  type AssessedClaim,
  type FiscalSplitRecord,
  type Funder,
} from '../events';
import type {
  Approval,
  ClaimState,
  ClaimStatus,
  FunderAmounts,
  MoneyMovement,
  RegisteredApplicant,
} from './state';

export interface FunderAmountsView {
  readonly city: MoneyString;
  readonly district: MoneyString;
}

/** The approval as shown: the recorded ApprovalTerms and split (events.ts) and its reviewer. */
export interface ApprovalView extends ApprovalTerms {
  readonly approvedBy: string;
  readonly split: FiscalSplitRecord;
}

export interface MovementView {
  readonly funder: Funder;
  readonly district: string;
  readonly amount: MoneyString;
  readonly reference: string;
  readonly at: string;
}

/** A claim as shown: the submission's fields (AssessedClaim, events.ts), its status and money so far. */
export interface ClaimView extends AssessedClaim {
  readonly status: ClaimStatus;
  /** The approval in effect, pending, revoked, or overturned by the countersigner. */
  readonly approval: ApprovalView | null;
  readonly countersignedBy: string | null;
  /** Rejection or revocation reasons; the withdrawal reason, if one was given. */
  readonly reasons: readonly string[];
  readonly paid: FunderAmountsView;
  /** Still to pay per funder (approved claims only; zero otherwise). */
  readonly outstanding: FunderAmountsView;
  readonly cancelled: FunderAmountsView;
  readonly receivable: FunderAmountsView;
  readonly recovered: FunderAmountsView;
  readonly payments: readonly MovementView[];
  readonly recoveries: readonly MovementView[];
}

export interface ApplicantView {
  readonly uscc: string;
  readonly name: string;
  readonly district: string;
  readonly integrityFlag: { readonly reason: string } | null;
  readonly claims: ReadonlyArray<{
    readonly claimId: string;
    readonly programCode: string;
    readonly supportYear: number;
    readonly status: ClaimStatus;
  }>;
}

const ZERO_VIEW: FunderAmountsView = { city: '0.00', district: '0.00' };

function pairView(pair: FunderAmounts): FunderAmountsView {
  return { city: pair.city.toString(), district: pair.district.toString() };
}

function movementView(movement: MoneyMovement): MovementView {
  return {
    funder: movement.funder,
    district: movement.district,
    amount: movement.amount.toString(),
    reference: movement.reference,
    at: movement.at,
  };
}

function approvalView(approval: Approval): ApprovalView {
  const { split } = approval;
  return {
    amount: approval.amount.toString(),
    approvedBy: approval.approvedBy,
    reasons: approval.reasons,
    countersignRequired: approval.countersignRequired,
    policyId: approval.policyId,
    catalogHash: approval.catalogHash,
    ruleAmount: approval.ruleAmount.toString(),
    ceiling: approval.ceiling.toString(),
    split: {
      funding: split.funding,
      district: split.district,
      districtGroup: split.districtGroup,
      cityRate: split.cityRate,
      cityShare: split.shares.city.toString(),
      districtShare: split.shares.district.toString(),
    },
  };
}

type StatusPart = Pick<
  ClaimView,
  | 'approval'
  | 'countersignedBy'
  | 'reasons'
  | 'paid'
  | 'outstanding'
  | 'cancelled'
  | 'receivable'
  | 'recovered'
  | 'payments'
  | 'recoveries'
>;

const EMPTY_PART: StatusPart = {
  approval: null,
  countersignedBy: null,
  reasons: [],
  paid: ZERO_VIEW,
  outstanding: ZERO_VIEW,
  cancelled: ZERO_VIEW,
  receivable: ZERO_VIEW,
  recovered: ZERO_VIEW,
  payments: [],
  recoveries: [],
};

function statusPart(claim: ClaimState): StatusPart {
  switch (claim.status) {
    case 'submitted':
      return EMPTY_PART;
    case 'withdrawn':
      return { ...EMPTY_PART, reasons: claim.reason === null ? [] : [claim.reason] };
    case 'rejected':
      return {
        ...EMPTY_PART,
        reasons: claim.reasons,
        approval: claim.overturnedApproval === null ? null : approvalView(claim.overturnedApproval),
      };
    case 'pending_countersign':
      return { ...EMPTY_PART, approval: approvalView(claim.approval) };
    case 'approved': {
      const { shares } = claim.approval.split;
      const outstanding = {
        city: shares.city.minus(claim.paid.city),
        district: shares.district.minus(claim.paid.district),
      };
      return {
        ...EMPTY_PART,
        approval: approvalView(claim.approval),
        countersignedBy: claim.countersignedBy,
        paid: pairView(claim.paid),
        outstanding: pairView(outstanding),
        payments: claim.payments.map(movementView),
      };
    }
    case 'revoked':
      return {
        approval: approvalView(claim.approval),
        countersignedBy: claim.countersignedBy,
        reasons: claim.revocationReasons,
        paid: pairView(claim.paid),
        outstanding: ZERO_VIEW,
        cancelled: pairView(claim.cancelled),
        receivable: pairView(claim.receivable),
        recovered: pairView(claim.recovered),
        payments: claim.payments.map(movementView),
        recoveries: claim.recoveries.map(movementView),
      };
    default: {
      const _exhaustive: never = claim;
      return _exhaustive;
    }
  }
}

export function toClaimView(claim: ClaimState): ClaimView {
  return {
    ...claimFilingOf(claim, (amount) => amount.toString()),
    status: claim.status,
    policyId: claim.policyId,
    catalogHash: claim.catalogHash,
    assessment: claim.assessment,
    ...statusPart(claim),
  };
}

export function toApplicantView(applicant: RegisteredApplicant): ApplicantView {
  return {
    uscc: applicant.uscc,
    name: applicant.name,
    district: applicant.district,
    integrityFlag: applicant.integrityFlag,
    claims: Object.values(applicant.claims).map(
      ({ claimId, programCode, supportYear, status }) => ({
        claimId,
        programCode,
        supportYear,
        status,
      }),
    ),
  };
}
