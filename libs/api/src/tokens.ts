/** Nest injection tokens shared by the write side (commands), the read side (queries) and the apps. */
export const EVENT_STORE = Symbol.for('hz.EventStore');
export const READ_STORE = Symbol.for('hz.ReadStore');
export const CLOCK = Symbol.for('hz.Clock');
export const CATALOG = Symbol.for('hz.PolicyCatalog');
/** The PolicySchedule: every catalog version with its effective date (docs/policy.md §11). */
export const POLICIES = Symbol.for('hz.PolicySchedule');
export const LEDGER_CONFIG = Symbol.for('hz.LedgerConfig');
export const LEDGER_SERVICE = Symbol.for('hz.LedgerService');
export const PROJECTION_RUNNER = Symbol.for('hz.ProjectionRunner');
/** Which backends the app runs on (StoresInUse), reported by /health/ready. */
export const STORES_IN_USE = Symbol.for('hz.StoresInUse');

/** Kinds only: /health/ready is an open route, so no host, path or schema. */
export interface StoresInUse {
  readonly events: string;
  readonly idempotency: string;
  readonly readModels: string;
  readonly projector: string;
}
