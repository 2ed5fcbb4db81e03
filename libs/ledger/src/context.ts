import type { Money } from '@hz/money';
import type { PolicyCatalog } from '@hz/policy';

/** What a decider may consult besides the command and the state: configuration, never a clock. */
export interface DecisionContext {
  readonly catalog: PolicyCatalog;
  /** Approvals of this amount or more wait for a countersignature; defaults to the catalog's. */
  readonly countersignThreshold?: Money;
}

export function countersignThresholdOf(context: DecisionContext): Money {
  return context.countersignThreshold ?? context.catalog.countersignThreshold;
}
