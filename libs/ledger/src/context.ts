import type { Money } from '@hz/money';
import {
  catalogInForce,
  scheduledCatalog,
  type PolicyCatalog,
  type PolicySchedule,
} from '@hz/policy';
import type { ApplicantState } from './applicant/state';
import { DomainError } from './errors';

/**
 * The applicant stream as it stood at a decision's view position: its events at log positions up to
 * `position`, folded by the application layer (the deciders never read the log; applicant/stale-view.ts).
 */
export interface DecisionView {
  readonly position: string;
  readonly state: ApplicantState;
}

/** What a decider may consult besides the command and the state: configuration, never a clock. */
export interface DecisionContext {
  /** The catalog in force when no schedule is given (and the districts every version shares). */
  readonly catalog: PolicyCatalog;
  /** Policy amendments (docs/policy.md §11): the versions with their effective dates; default `catalog` alone. */
  readonly policies?: PolicySchedule;
  /** Approvals of this amount or more wait for a countersignature; defaults to the catalog's. */
  readonly countersignThreshold?: Money;
  /** Present exactly when the command names a view position (DecideClaim's `viewPosition`). */
  readonly view?: DecisionView;
}

export function countersignThresholdOf(context: DecisionContext): Money {
  return context.countersignThreshold ?? context.catalog.countersignThreshold;
}

/** The catalog a claim submitted on this Hangzhou date is assessed under (docs/policy.md §11). */
export function catalogOnDate(context: DecisionContext, date: string): PolicyCatalog {
  return context.policies === undefined ? context.catalog : catalogInForce(context.policies, date);
}

/**
 * The catalog version a claim recorded at submission, which its decision applies; CLAIM.POLICY_MISMATCH
 * when this ledger does not apply that version (without a schedule: the one catalog, by id as before).
 */
export function recordedCatalog(
  context: DecisionContext,
  recorded: { readonly policyId: string; readonly catalogHash: string },
): PolicyCatalog {
  const catalog =
    context.policies === undefined
      ? recorded.policyId === context.catalog.id
        ? context.catalog
        : undefined
      : scheduledCatalog(context.policies, recorded.policyId, recorded.catalogHash);
  if (catalog === undefined)
    throw new DomainError(
      'CLAIM.POLICY_MISMATCH',
      `claim was filed under ${recorded.policyId}, not a version this ledger applies`,
      { policyId: recorded.policyId },
    );
  return catalog;
}
