/**
 * Adapter-neutral steps of an append that the SQLite adapter does inline: recognising an idempotent
 * replay, and sealing new events into the per-stream hash chain. Shared here by the PostgreSQL and
 * EventStoreDB adapters so that all three behave the same (candidates to move next to ../hash-chain).
 */
import { canonicalJson } from '@hz/kernel';
import { DuplicateEventDifferentContent } from '../errors';
import { computeEventHash } from '../hash-chain';
import type { AppendResult, NewEvent } from '../port';

/** What the store already holds for one event id. */
export interface StoredIdentity {
  readonly streamId: string;
  readonly type: string;
  /** The stored data as canonical JSON text. */
  readonly dataJson: string;
  readonly revision: bigint;
  readonly position: bigint;
}

/**
 * Idempotency by event id, as the SQLite adapter does it: when every id of the call is already stored
 * in this stream with the same type and data, the call is a retry and gets the original result. Any
 * other overlap is a different command reusing ids: DuplicateEventDifferentContent.
 */
export function findReplay(
  streamId: string,
  events: readonly NewEvent[],
  stored: ReadonlyMap<string, StoredIdentity>,
): AppendResult | undefined {
  let last: StoredIdentity | undefined;
  let missing: NewEvent | undefined;
  let found: NewEvent | undefined;
  for (const event of events) {
    const row = stored.get(event.id);
    if (row === undefined) {
      missing ??= event;
      continue;
    }
    found ??= event;
    const same =
      row.streamId === streamId &&
      row.type === event.type &&
      row.dataJson === canonicalJson(event.data);
    if (!same) throw new DuplicateEventDifferentContent(event.id, streamId);
    if (last === undefined || row.revision > last.revision) last = row;
  }
  if (found !== undefined && missing !== undefined)
    throw new DuplicateEventDifferentContent(found.id, streamId);
  return last === undefined ? undefined : { nextRevision: last.revision, position: last.position };
}

export interface SealedEvent {
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly dataJson: string;
  /** Canonical JSON of the stored metadata, including recordedAt, prevHash and hash. */
  readonly metadataJson: string;
  readonly hash: string;
}

export interface ChainHead {
  /** Revision of the stream's last event; undefined for a new stream. */
  readonly revision: bigint | undefined;
  /** Hash of the stream's last event, or GENESIS_PREV_HASH for a new stream. */
  readonly hash: string;
}

/** Links `events` onto the stream's chain. The caller's metadata cannot set the store's own fields. */
export function sealEvents(
  streamId: string,
  head: ChainHead,
  recordedAt: string,
  events: readonly NewEvent[],
): SealedEvent[] {
  let prevHash = head.hash;
  let revision = head.revision === undefined ? 0n : head.revision + 1n;
  const sealed: SealedEvent[] = [];
  for (const event of events) {
    const metadata = { ...event.metadata, recordedAt, prevHash };
    const hash = computeEventHash({
      streamId,
      revision,
      id: event.id,
      type: event.type,
      data: event.data,
      metadata,
    });
    sealed.push({
      id: event.id,
      type: event.type,
      revision,
      dataJson: canonicalJson(event.data),
      metadataJson: canonicalJson({ ...metadata, hash }),
      hash,
    });
    prevHash = hash;
    revision += 1n;
  }
  return sealed;
}
