/** Nest injection tokens shared by the write side (commands), the read side (queries) and the apps. */
export const EVENT_STORE = Symbol.for('hz.EventStore');
export const READ_STORE = Symbol.for('hz.ReadStore');
export const CLOCK = Symbol.for('hz.Clock');
export const CATALOG = Symbol.for('hz.PolicyCatalog');
export const LEDGER_CONFIG = Symbol.for('hz.LedgerConfig');
export const LEDGER_SERVICE = Symbol.for('hz.LedgerService');
export const PROJECTION_RUNNER = Symbol.for('hz.ProjectionRunner');
