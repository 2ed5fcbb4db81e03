/** @hz/audit: the auditor's toolkit shared by the CLI (apps/ledger-cli) and HTTP (libs/api/src/audit). */
export * from './seal/merkle';
export * from './seal/checkpoint';
export * from './seal/seal-keys';
export * from './seal/seal-log';
export * from './log/scan-log';
export * from './log/event-lines';
export * from './invariants/findings';
export * from './invariants/decision-oracle';
export { InvariantChecker } from './invariants/invariant-checker';
export { policyDecisionOracle } from './invariants/policy-oracle';
export * from './verify/verify-ledger';
export * from './verify/format-report';
export * from './verify/run-verification';
export {
  checkVerifyWorkers,
  defaultVerifyWorkers,
  VERIFY_WORKERS_MAX,
} from './verify/verify-partition';
export * from './env/ledger-env';
export * from './env/jwt-secret';
export * from './env/open-stores';
export * from './replay/bounded-log';
export * from './replay/scratch-replay';
export * from './replay/read-model-summary';
export * from './export/workbook';
export * from './export/build-workbook';
export * from './export/fact-rows';
export * from './export/xlsx-writer';
export * from './export/csv-writer';
export * from './export/export-ledger';
export * from './verify/projection-audit';
export * from './pack/build-pack';
export * from './pack/verify-pack';
export * from './pack/zip-dates';
