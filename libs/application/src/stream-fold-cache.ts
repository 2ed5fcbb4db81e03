/**
 * A bounded, per-process cache of decision streams, so a command does not re-read and re-fold its whole
 * stream: for each recently used stream it keeps the state folded from the recorded events up to a
 * revision, and the ids of those events (all that replay detection asks of the history). A load reads
 * only the events after the cached revision, so appends by other processes are folded in before deciding.
 *
 * It is an optimisation only. The log is append-only, so a cached fold is always a true prefix of the
 * stream; the append that follows still states the exact expected revision, so anything recorded after
 * the load is caught as WrongExpectedVersion. States are folded from recorded events only (never from what
 * this process meant to append), so a warm load and a cold load of the same revisions are equal.
 * Loads of one stream must not overlap: LedgerService runs each stream's commands in turn.
 */
import type { EventStore, RecordedEvent } from '@hz/event-store';
import { InvariantViolation } from '@hz/ledger';
import { foldRecorded, readStreamOrEmpty, type StreamModel } from './stream-models';

/**
 * Streams kept by default. Measured on demo ledgers, a cached applicant of about 37 events (some ten claims)
 * costs about 47 KB of heap (44 KB folded state, 3 KB event ids), so this bounds the cache near 50 MB:
 * enough for the bursts of commands one applicant's claims draw, small enough for a modest container.
 */
export const STREAMS_CACHED_MAX_DEFAULT = 1_000;

/** A longer stream is folded as usual but not kept, so one huge stream cannot hold the cache's memory. */
export const STREAM_EVENTS_CACHED_MAX = 10_000;

export interface StreamFold<TState> {
  readonly kind: StreamModel<TState>['kind'];
  /** Revision of the last event folded in; -1n while the stream has no events. */
  readonly revision: bigint;
  readonly state: TState;
  /** Ids of every event folded in: a command whose first event id is here was executed before. */
  readonly eventIds: ReadonlySet<string>;
}

interface Entry {
  readonly kind: StreamModel<unknown>['kind'];
  readonly revision: bigint;
  readonly state: unknown;
  readonly eventIds: Set<string>;
}

export class StreamFoldCache {
  /** Map keeps insertion order, and a hit is re-inserted: the first key is the least recently used. */
  private readonly entries = new Map<string, Entry>();

  /** `streamsMax` 0 turns caching off: every load is then a whole read, as without a cache. */
  constructor(readonly streamsMax: number = STREAMS_CACHED_MAX_DEFAULT) {
    if (!Number.isSafeInteger(streamsMax) || streamsMax < 0)
      throw new RangeError(`streamsMax must be a non-negative integer, got ${streamsMax}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The stream's current fold: the cached one plus the events recorded since, or a whole read and fold. */
  async load<TState>(
    store: EventStore,
    streamId: string,
    model: StreamModel<TState>,
  ): Promise<StreamFold<TState>> {
    const cached = this.entries.get(streamId);
    if (cached !== undefined && cached.kind !== model.kind) {
      this.entries.delete(streamId);
      throw new InvariantViolation(
        `stream ${streamId} is cached as ${cached.kind}, asked for as ${model.kind}`,
        { streamId },
      );
    }
    const recorded =
      cached === undefined
        ? await readStreamOrEmpty(store, streamId)
        : await readStreamOrEmpty(store, streamId, { fromRevision: cached.revision + 1n });
    // Take the entry out while folding: if the fold throws (a corrupt stream), nothing stale stays behind.
    this.entries.delete(streamId);
    const base = cached ?? {
      kind: model.kind,
      revision: -1n,
      state: model.initialState(),
      eventIds: new Set<string>(),
    };
    const revision = lastRevisionOf(streamId, base.revision, recorded);
    // Cached states hold these objects (evidence, assessments, reasons) and views hand them out: frozen,
    // a caller that writes into a result fails loudly instead of changing what later commands decide on.
    for (const event of recorded) deepFreeze(event.data, 0);
    const state = foldRecorded(model, recorded, base.state as TState);
    for (const event of recorded) base.eventIds.add(event.id);
    const entry: Entry = { kind: model.kind, revision, state, eventIds: base.eventIds };
    if (entry.eventIds.size <= STREAM_EVENTS_CACHED_MAX) this.remember(streamId, entry);
    return { kind: model.kind, revision, state, eventIds: entry.eventIds };
  }

  /** After any failure on the stream: the next load starts again from a whole read. */
  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  private remember(streamId: string, entry: Entry): void {
    if (this.streamsMax === 0) return;
    this.entries.set(streamId, entry);
    // Bounded loop: at most one entry is added per call, so this evicts at most one in steady state.
    for (
      let evictions = 0;
      this.entries.size > this.streamsMax && evictions < this.streamsMax + 1;
      evictions += 1
    ) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
    if (this.entries.size > this.streamsMax)
      throw new InvariantViolation(
        `stream cache holds ${this.entries.size} streams, more than ${this.streamsMax}`,
      );
  }
}

/** The revision a fold reaches; the store returns a stream's events in increasing revisions, after the cached one. */
function lastRevisionOf(
  streamId: string,
  cachedRevision: bigint,
  recorded: readonly RecordedEvent[],
): bigint {
  let revision = cachedRevision;
  for (const event of recorded) {
    if (event.streamId !== streamId || event.revision <= revision) {
      throw new InvariantViolation(
        `stream ${streamId} read back revision ${event.revision} of ${event.streamId} after ${revision}`,
        { streamId },
      );
    }
    revision = event.revision;
  }
  return revision;
}

/** Event data is JSON a few levels deep; below this depth (legal, but unseen) it is left as it is. */
const FREEZE_DEPTH_MAX = 32;

function deepFreeze(value: unknown, depth: number): void {
  if (
    typeof value !== 'object' ||
    value === null ||
    Object.isFrozen(value) ||
    depth >= FREEZE_DEPTH_MAX
  )
    return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child, depth + 1);
}
