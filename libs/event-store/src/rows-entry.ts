/**
 * @hz/event-store/rows: the light entry point of the event store (issue 13) for worker threads that read
 * the events table themselves: the row shapes and their mapping to RecordedEvent, the hash chain and its
 * verifier, and the port's types. No adapter, so no better-sqlite3 wrapper, no pg, no EventStoreDB client:
 * the barrel (./index.ts) costs a worker thread 0.3–0.4 CPU-s to load (docs/benchmarks.md "Verify and
 * seal, CPU per event"). Everything here is the barrel's own code, re-exported, not a copy.
 */
export type { EventStore, JsonObject, JsonValue, RecordedEvent, StoredEventMetadata } from './port';
export { StreamNotFound } from './errors';
export {
  computeEventHash,
  GENESIS_PREV_HASH,
  hashCanonicalParts,
  type HashableEvent,
} from './hash-chain';
export { canonicalPartsText, type HashedHeader } from './hash-text';
export { recordedEventOf, type EventRowOf } from './event-rows';
export { eventOfRawRow, type RawEventRow } from './stream-read';
export { verifyStreamChain, type ChainProblem, type ChainProblemKind } from './chain-verifier';
