/**
 * @hz/kernel: the few pure helpers every layer shares (docs/architecture.md §1), each with one home:
 * canonical JSON (one number rule, used by the event-store hash chain, content hashes and the policy
 * catalog hash), business time (Hangzhou, UTC+08:00) and how a worker thread runs our sources. It
 * depends on nothing of ours.
 */
export {
  canonicalJson,
  canonicalObjectText,
  CanonicalJsonError,
  sha256Hex,
  canonicalHash,
  type CanonicalObjectText,
} from './canonical-json';
export {
  BUSINESS_UTC_OFFSET,
  BUSINESS_UTC_OFFSET_MINUTES,
  isCalendarDate,
  isOffsetDateTime,
  businessInstantMs,
  businessDateOf,
  businessMonthOf,
  endOfBusinessDay,
  asOfText,
} from './business-time';
export { workerSource } from './worker-source';
