/**
 * The port through which the invariant fold asks the policy engine what a decision should have been.
 * The fold stays pure and testable; `policyDecisionOracle` (policy-oracle.ts) answers with @hz/policy
 * under the catalog version the decision recorded.
 */
import type { Money } from '@hz/money';
import type { ClaimFiling, PolicyStamp } from '@hz/ledger';

export interface GrantForRecompute {
  readonly claimId: string;
  readonly programCode: string;
  readonly supportYear: number;
  readonly subjectKey: string | null;
  readonly amount: Money;
}

/** The filed claim (ClaimFiling, @hz/ledger events.ts) and what the decision recorded. */
export interface DecisionRecomputeInput
  extends PolicyStamp, Omit<ClaimFiling<Money>, 'subjectKey' | 'scopeKey'> {
  /** The applicant's effective grants just before the decision, this claim excluded. */
  readonly grantsBefore: readonly GrantForRecompute[];
  /** The applicant's registered district at the decision, from the log. */
  readonly district: string;
  readonly amount: Money;
  /**
   * The text `amount` was parsed from (the event's own field), when the caller has it: a memo key that
   * needs no formatting (issue 13). Absent, the oracle formats the amount itself.
   */
  readonly amountText?: string;
  /** Business time of the decision (metadata.occurredAt). */
  readonly decidedAt: string;
}

export interface RecomputedCap {
  readonly capId: string;
  readonly cap: Money;
  /** Granted in this cap before the decision. */
  readonly granted: Money;
}

export type DecisionRecompute =
  /** The engine could not recompute: the catalog version is unknown, or it refused the recorded inputs. */
  | {
      readonly kind: 'not-recomputable';
      readonly code: 'DECISION.UNKNOWN_CATALOG' | 'DECISION.NOT_RECOMPUTABLE';
      readonly message: string;
    }
  | {
      readonly kind: 'recomputed';
      readonly scopeKind: string;
      readonly eligible: boolean;
      readonly ruleAmount: Money;
      readonly ceiling: Money;
      readonly caps: readonly RecomputedCap[];
      readonly split: {
        readonly cityShare: Money;
        readonly districtShare: Money;
        readonly cityRate: string;
        readonly districtGroup: string | null;
      };
    };

export interface AllocationRecomputeInput {
  readonly policyId: string;
  readonly catalogHash: string;
  readonly pool: Money;
  readonly scores: ReadonlyArray<{ readonly district: string; readonly score: string }>;
}

export interface DecisionOracle {
  recomputeApproval(input: DecisionRecomputeInput): DecisionRecompute;
  /** The allocation the engine gives for a plan, per district; undefined when it cannot be recomputed (unknown catalog, refused scores). */
  recomputeAllocation(input: AllocationRecomputeInput): ReadonlyMap<string, Money> | undefined;
  /**
   * Verify's stream-by-stream pass read a stream to its end (InvariantChecker.releaseStream): what the
   * oracle keeps for that stream's claims alone may go (issue 13, ./policy-oracle.ts).
   */
  releaseStream?(): void;
}
