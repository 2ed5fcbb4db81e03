/** The generator's picture of the ledger, enough to emit only valid events (statuses, caps, shares, refs). */
import type { EventMetadataInput } from '@hz/event-store';
import type { ClaimStatus } from '../model/rows';
import type { GeneratorProgram } from './generator-catalog';

/** A generated claim's status: the claim queue's statuses. */
export type GenStatus = ClaimStatus;

export interface GenPair {
  city: bigint;
  district: bigint;
}

export interface GenClaim {
  readonly claimId: string;
  readonly applicant: string;
  readonly program: GeneratorProgram;
  readonly supportYear: number;
  readonly subjectKey: string | null;
  readonly scopeKey: string;
  readonly requestedFen: bigint;
  status: GenStatus;
  amountFen: bigint;
  share: GenPair;
  district: string;
  approvedBy: string;
  capIds: string[];
  paid: GenPair;
  receivable: GenPair;
  recovered: GenPair;
}

export interface GenApplicant {
  readonly uscc: string;
  district: string;
  flagged: boolean;
  claimCount: number;
  /** Effective grants per cap id, like the decider's caps. */
  readonly granted: Map<string, bigint>;
  /** Scopes with an open or granted claim (one-time and per-subject allow one). */
  readonly busyScopes: Set<string>;
  readonly claims: GenClaim[];
}

export interface GenPlan {
  readonly planId: string;
  readonly allocations: Array<{
    readonly district: string;
    readonly amountFen: bigint;
    paidFen: bigint;
  }>;
}

export interface GeneratedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly data: { readonly [key: string]: unknown };
  readonly metadata: EventMetadataInput;
  /** The ledger time the generator wants the store to record (tests set the store's clock to it). */
  readonly recordedAt: string;
}

export function isOpen(claim: GenClaim): boolean {
  return claim.status === 'submitted' || claim.status === 'pending_countersign';
}

/** Work left on a claim: a decision, a countersignature, a payment or a recovery. */
export function hasWork(claim: GenClaim): boolean {
  if (isOpen(claim)) return true;
  if (claim.status === 'approved')
    return claim.paid.city < claim.share.city || claim.paid.district < claim.share.district;
  if (claim.status === 'revoked')
    return (
      claim.recovered.city < claim.receivable.city ||
      claim.recovered.district < claim.receivable.district
    );
  return false;
}
