/**
 * The body of one append, run inside a BEGIN IMMEDIATE transaction: the write lock is taken before the
 * stream's head is read, so the expected-revision check and the inserts cannot interleave with another
 * writer, in this process or another. UNIQUE(stream_id, revision) and UNIQUE(event_id) back this up.
 */
import { checkExpectedRevision } from '../append-guards';
import { canonicalJson } from '@hz/kernel';
import { DuplicateEventDifferentContent } from '../errors';
import { GENESIS_PREV_HASH, hashCanonicalParts } from '../hash-chain';
import type { AppendResult, Clock, ExpectedRevision, NewEvent } from '../port';
import type { EventRow, Statements } from './statements';

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
): AppendOutcome {
  // A replay is recognised before the revision check: the retry of a 'no_stream' append must succeed.
  const replayed = findReplay(statements, streamId, events);
  if (replayed !== undefined) return { result: replayed, appended: false };
  const head = statements.streamHead.get(streamId);
  checkExpectedRevision(streamId, expected, head?.revision);
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
    const hash = hashCanonicalParts(
      { streamId, revision, id: event.id, type: event.type },
      dataText,
      canonicalJson(metadata),
    );
    const stored = canonicalJson({ ...metadata, hash });
    const info = statements.insert.run(streamId, revision, event.id, event.type, dataText, stored);
    position = BigInt(info.lastInsertRowid);
    prevHash = hash;
    revision += 1n;
  }
  return { result: { nextRevision: revision - 1n, position }, appended: true };
}

/**
 * Idempotency by event id: when every id of the call is already stored in this stream with the same type
 * and data, the call is a retry and gets the original result. Any other overlap is a different command
 * reusing ids, refused with DuplicateEventDifferentContent.
 */
function findReplay(
  statements: Statements,
  streamId: string,
  events: readonly NewEvent[],
): AppendResult | undefined {
  let last: EventRow | undefined;
  let missing: NewEvent | undefined;
  let found: NewEvent | undefined;
  for (const event of events) {
    const row = statements.byEventId.get(event.id);
    if (row === undefined) {
      missing ??= event;
      continue;
    }
    found ??= event;
    const same =
      row.stream_id === streamId &&
      row.type === event.type &&
      row.data === canonicalJson(event.data);
    if (!same) throw new DuplicateEventDifferentContent(event.id, streamId);
    if (last === undefined || row.revision > last.revision) last = row;
  }
  // Some ids stored, some not: the original append held exactly the stored ones, so this is other content.
  if (found !== undefined && missing !== undefined)
    throw new DuplicateEventDifferentContent(found.id, streamId);
  return last === undefined ? undefined : { nextRevision: last.revision, position: last.position };
}
