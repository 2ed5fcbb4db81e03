import type { Money } from '@hz/money';
import type { PolicyCatalog } from '@hz/policy';
import type { ApplicantState } from './applicant/state';

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
  readonly catalog: PolicyCatalog;
  /** Approvals of this amount or more wait for a countersignature; defaults to the catalog's. */
  readonly countersignThreshold?: Money;
  /** Present exactly when the command names a view position (DecideClaim's `viewPosition`). */
  readonly view?: DecisionView;
}

export function countersignThresholdOf(context: DecisionContext): Money {
  return context.countersignThreshold ?? context.catalog.countersignThreshold;
}
