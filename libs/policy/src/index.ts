export * from './api';
export * from './catalog-types';
export { HZ_CBEC_2023 } from './catalogs/hz-cbec-2023';
export { defineCatalog, catalogHash } from './catalog-define';
export { catalogProblems } from './catalog-check';
/** Canonical JSON has one home, @hz/kernel; re-exported because the catalog hash is defined by it. */
export { canonicalJson } from '@hz/kernel';
export {
  getCatalog,
  listCatalogs,
  registerCatalog,
  findProgram,
  findDistrict,
  isClaimable,
  isKnownDistrict,
  districtGroupOf,
} from './registry';
export { validateEvidence, EVIDENCE_ERRORS_MAX } from './evidence';
export { assess, type AssessOptions } from './assess';
export { scopeKey } from './scope';
export { fiscalSplit } from './fiscal-split';
export { allocate } from './allocate';
export type { DistrictScore } from './allocate';
export { PolicyError } from './errors';
export type { PolicyErrorCode } from './errors';
export { POLICY_REFUSAL_CODES, EVIDENCE_ERROR_CODES, POLICY_ERROR_CODES } from './codes';
export type { CodeDescription } from './codes';
export { isIsoDate } from './dates';
export {
  policySchedule,
  singleVersionSchedule,
  catalogInForce,
  scheduledCatalog,
  scheduledVersions,
  type PolicySchedule,
  type PolicyVersion,
  type ScheduledVersion,
} from './schedule';
export { TEXT_MAX_LENGTH, ITEMS_MAX } from './catalog-builders';
