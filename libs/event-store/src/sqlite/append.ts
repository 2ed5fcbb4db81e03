/**
 * The body of one append, run inside a BEGIN IMMEDIATE transaction: the write lock is taken before the
 * stream's head is read, so the expected-revision check and the inserts cannot interleave with another
 * writer, in this process or another. UNIQUE(stream_id, revision) and UNIQUE(event_id) back this up.
 */
import { checkConditions, checkExpectedRevision, recordValueOf } from '../append-guards';
import { canonicalJson, canonicalObjectText } from '@hz/kernel';
import { GENESIS_PREV_HASH, hashCanonicalParts } from '../hash-chain';
import { RecordConflict } from '../errors';
import type {
  AppendCondition,
  AppendOptions,
  AppendRecord,
  AppendResult,
  Clock,
  ExpectedRevision,
  NewEvent,
  SideRecord,
} from '../port';
import { findReplay as findStoredReplay, type StoredIdentity } from '../postgres/sealed-events';
import type { Statements } from './statements';

export interface AppendOutcome {
  readonly result: AppendResult;
  /** False for a no-op (empty call) or an idempotent replay: nobody needs waking. */
  readonly appended: boolean;
}

export function appendEvents(
  statements: Statements,
  clock: Clock,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  conditions?: readonly AppendCondition[],
): AppendOutcome {
  // A replay is recognised before the revision check: the retry of a 'no_stream' append must succeed.
  const replayed = findReplay(statements, streamId, events);
  if (replayed !== undefined) return { result: replayed, appended: false };
  const head = statements.streamHead.get(streamId);
  checkExpectedRevision(streamId, expected, head?.revision);
  // Other streams' conditions (issue 12): under the same write lock, so they hold until the commit.
  checkConditions(conditions, (other) =>
    other === streamId ? head?.revision : statements.streamHead.get(other)?.revision,
  );
  if (events.length === 0) {
    return {
      result: { nextRevision: head?.revision ?? -1n, position: head?.position ?? 0n },
      appended: false,
    };
  }
  if (head !== undefined && head.hash === null)
    throw new Error(`stream ${streamId} head has no hash; run the chain verifier`);
  const recordedAt = clock.now().toISOString();
  let prevHash = head?.hash ?? GENESIS_PREV_HASH;
  let revision = head === undefined ? 0n : head.revision + 1n;
  let position = 0n;
  for (const event of events) {
    // The caller's metadata cannot set the store's fields: they are overwritten, never trusted.
    const { hash: _ignored, ...callerMetadata } = event.metadata;
    const metadata = { ...callerMetadata, recordedAt, prevHash };
    const dataText = canonicalJson(event.data);
    // One walk of the metadata for both texts: the hashed one, then the stored one with the hash at its
    // key's sorted place, byte for byte canonicalJson({ ...metadata, hash }) (docs/architecture.md §2).
    const metadataText = canonicalObjectText(metadata);
    const hash = hashCanonicalParts(
      { streamId, revision, id: event.id, type: event.type },
      dataText,
      metadataText.text,
    );
    const stored = metadataText.withMember('hash', hash);
    const info = statements.insert.run(streamId, revision, event.id, event.type, dataText, stored);
    position = BigInt(info.lastInsertRowid);
    prevHash = hash;
    revision += 1n;
  }
  return { result: { nextRevision: revision - 1n, position }, appended: true };
}

/**
 * One command's whole write (issue 12): its append, the appends alongside it and its record, inside the
 * caller's transaction (a savepoint under group commit), so any refusal undoes all of it.
 */
export function appendWithOptions(
  statements: Statements,
  clock: Clock,
  streamId: string,
  events: readonly NewEvent[],
  options: AppendOptions,
  recordWriter: RecordWriter = writeRecordNow,
): AppendOutcome {
  // Alongside first (a reservation precedes its payment in the log, as when it was its own append), so
  // the main append's position, the one the caller is answered with, is the last of the command's.
  let appended = false;
  for (const other of options.alongside ?? [])
    appended =
      appendEvents(statements, clock, other.streamId, other.events, other.expectedRevision)
        .appended || appended;
  const main = appendEvents(
    statements,
    clock,
    streamId,
    events,
    options.expectedRevision,
    options.conditions,
  );
  const record = options.record;
  if (record !== undefined) recordWriter(statements, record, main.result);
  return { result: main.result, appended: main.appended || appended };
}

/**
 * How appendWithOptions writes the call's record once the main append's result is known: by default at
 * once; the writer thread (writer-worker.ts) may defer a record whose value the main thread computes.
 */
export type RecordWriter = (
  statements: Statements,
  record: AppendRecord,
  result: AppendResult,
) => void;

function writeRecordNow(statements: Statements, record: AppendRecord, result: AppendResult): void {
  writeRecord(statements, { key: record.key, value: recordValueOf(record, result) });
}

/**
 * Inserts the record, or finds the same value already there; RecordConflict for another value. The text
 * stored is JSON.stringify's, not the canonical one: nothing hashes or compares it but the rare second
 * write of a key, which compares canonical texts of both values (so key order never makes a conflict).
 * The canonical walk of every answer cost submit about 6% of its CPU (docs/benchmarks.md, "The write
 * path, session 14").
 */
export function writeRecord(statements: Statements, record: SideRecord): void {
  const stored = statements.recordByKey.get(record.key);
  if (stored === undefined) statements.insertRecord.run(record.key, JSON.stringify(record.value));
  else if (canonicalJson(JSON.parse(stored.value)) !== canonicalJson(record.value))
    throw new RecordConflict(record.key);
}

/** Idempotency by event id, the same rule for every adapter (../postgres/sealed-events.ts findReplay). */
function findReplay(
  statements: Statements,
  streamId: string,
  events: readonly NewEvent[],
): AppendResult | undefined {
  const stored = new Map<string, StoredIdentity>();
  for (const event of events) {
    const row = statements.byEventId.get(event.id);
    if (row === undefined) continue;
    stored.set(event.id, {
      streamId: row.stream_id,
      type: row.type,
      dataJson: row.data,
      revision: row.revision,
      position: row.position,
    });
  }
  return findStoredReplay(streamId, events, stored);
}
