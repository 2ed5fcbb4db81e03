/**
 * Verifies hash chains on what the store's reads return (readStream/readAll), so it works for every
 * adapter and needs no access to the database. Adapters never renumber on read: a deleted event leaves
 * a revision gap, an inserted or moved one leaves a broken link.
 *
 * The verifier reports the *cause* once, not every symptom: after an insertion, say, the events behind it
 * carry shifted revisions and so fail their own hashes, but they are intact and were merely renumbered.
 * It tells this apart by finding the revision (within DISPLACEMENT_MAX) at which such a hash does verify.
 */
import { computeEventHash, GENESIS_PREV_HASH } from './hash-chain';
import type { EventStore, RecordedEvent } from './port';

export type ChainProblemKind =
  'hash_mismatch' | 'prev_hash_mismatch' | 'revision_gap' | 'reordered' | 'inserted';

export interface ChainProblem {
  readonly kind: ChainProblemKind;
  readonly streamId: string;
  /** The revision at fault: the event's own revision, or for a gap the first missing revision. */
  readonly revision: bigint;
  /** Global position of the event at which the problem shows (for a gap: the event after it). */
  readonly position: bigint;
  readonly detail: string;
}

/** How far an intact-but-renumbered event is searched for; beyond it, it is reported as a hash mismatch. */
const DISPLACEMENT_MAX = 8n;
const PAGE_SIZE = 1000;

/** A problem found with one event, before it is placed at a stream, revision and position. */
type Finding = Pick<ChainProblem, 'kind' | 'detail'>;

interface ChainHead {
  readonly hash: string;
  readonly position: bigint;
}

/**
 * Checks one stream's events as readStream returns them (forwards, from revision 0). Returns [] when the
 * chain is intact. Truncation (deleting the newest events) cannot be seen from the chain alone: that is
 * what sealed checkpoints are for.
 */
export function verifyStreamChain(events: readonly RecordedEvent[]): ChainProblem[] {
  const first = events[0];
  if (first === undefined) return [];
  for (const event of events) {
    if (event.streamId !== first.streamId)
      throw new Error(`verifyStreamChain got events of ${first.streamId} and ${event.streamId}`);
  }
  const indexByHash = new Map<string, number>();
  events.forEach((event, index) => {
    if (!indexByHash.has(event.metadata.hash)) indexByHash.set(event.metadata.hash, index);
  });
  const referenced = new Set(events.map((event) => event.metadata.prevHash));
  return new StreamCheck(events, indexByHash, referenced).run();
}

/** Verifies every stream in the store: one readAll pass to list the streams, then each stream read in full. */
export async function verifyAllChains(
  store: Pick<EventStore, 'readAll' | 'readStream'>,
): Promise<ChainProblem[]> {
  const problems: ChainProblem[] = [];
  for (const streamId of await listStreams(store)) {
    problems.push(...verifyStreamChain(await readWholeStream(store, streamId)));
  }
  return problems;
}

class StreamCheck {
  private readonly problems: ChainProblem[] = [];
  private head: ChainHead = { hash: GENESIS_PREV_HASH, position: 0n };
  private previous: RecordedEvent | undefined;
  /** Set once a gap, move or insertion is reported: later renumbered-but-intact events are its consequence. */
  private displaced = false;

  constructor(
    private readonly events: readonly RecordedEvent[],
    private readonly indexByHash: ReadonlyMap<string, number>,
    private readonly referenced: ReadonlySet<string>,
  ) {}

  run(): ChainProblem[] {
    this.events.forEach((event, index) => this.check(event, index));
    return this.problems;
  }

  private check(event: RecordedEvent, index: number): void {
    const gapBefore = this.checkContinuity(event);
    const placement = this.checkPlacement(event, index);
    this.previous = event;
    if (placement !== undefined) {
      this.report(
        placement,
        event,
        event.revision,
        placement === 'inserted'
          ? 'nothing links to this event: it was inserted'
          : 'this event links to a later one: it was moved before it',
      );
      return;
    }
    const problem =
      this.checkLink(event, gapBefore) ?? this.checkContent(event) ?? this.checkPosition(event);
    if (problem !== undefined) this.report(problem.kind, event, event.revision, problem.detail);
    this.head = {
      hash: event.metadata.hash,
      position: event.position > this.head.position ? event.position : this.head.position,
    };
  }

  /** Revisions must count up by one; a jump means events were deleted. Returns whether there was a gap. */
  private checkContinuity(event: RecordedEvent): boolean {
    const expected = this.previous === undefined ? 0n : this.previous.revision + 1n;
    if (event.revision === expected) return false;
    if (event.revision < expected) {
      this.report(
        'reordered',
        event,
        event.revision,
        `revision ${event.revision} read after revision ${expected - 1n}`,
      );
      return false;
    }
    this.report(
      'revision_gap',
      event,
      expected,
      `revisions ${expected}..${event.revision - 1n} are missing`,
    );
    return true;
  }

  /**
   * One linking forwards (to an event read after it) was moved before its predecessor. One whose hash
   * nobody links to, and whose successor links past it, was inserted.
   */
  private checkPlacement(
    event: RecordedEvent,
    index: number,
  ): 'inserted' | 'reordered' | undefined {
    const linkedIndex = this.indexByHash.get(event.metadata.prevHash);
    if (linkedIndex !== undefined && linkedIndex > index) return 'reordered';
    const next = this.events[index + 1];
    if (next !== undefined && !this.referenced.has(event.metadata.hash)) {
      const skippedTo =
        next.metadata.prevHash === GENESIS_PREV_HASH
          ? -1
          : this.indexByHash.get(next.metadata.prevHash);
      if (skippedTo !== undefined && skippedTo < index) return 'inserted';
    }
    return undefined;
  }

  private checkLink(event: RecordedEvent, gapBefore: boolean): Finding | undefined {
    if (event.metadata.prevHash === this.head.hash) return undefined;
    // After a deletion the predecessor is gone; after a move or insertion the link points at a known, displaced event.
    if (gapBefore || (this.displaced && this.indexByHash.has(event.metadata.prevHash)))
      return undefined;
    return {
      kind: 'prev_hash_mismatch',
      detail: 'prevHash is not the hash of the previous event: the previous event was replaced',
    };
  }

  private checkContent(event: RecordedEvent): Finding | undefined {
    if (computeEventHash(event) === event.metadata.hash) return undefined;
    const writtenAt = findWrittenRevision(event);
    if (writtenAt === undefined)
      return {
        kind: 'hash_mismatch',
        detail: 'the stored content does not match its hash: it was edited',
      };
    if (this.displaced) return undefined;
    return { kind: 'reordered', detail: `intact, but written as revision ${writtenAt}` };
  }

  private checkPosition(event: RecordedEvent): Finding | undefined {
    if (event.position > this.head.position) return undefined;
    return {
      kind: 'reordered',
      detail: `position ${event.position} is not after ${this.head.position}, the previous event's`,
    };
  }

  private report(
    kind: ChainProblemKind,
    event: RecordedEvent,
    revision: bigint,
    detail: string,
  ): void {
    if (kind !== 'hash_mismatch' && kind !== 'prev_hash_mismatch') this.displaced = true;
    this.problems.push({
      kind,
      streamId: event.streamId,
      revision,
      position: event.position,
      detail,
    });
  }
}

/** The nearby revision at which the event's stored hash verifies, if any: it is intact, only renumbered. */
function findWrittenRevision(event: RecordedEvent): bigint | undefined {
  for (let distance = 1n; distance <= DISPLACEMENT_MAX; distance += 1n) {
    for (const revision of [event.revision - distance, event.revision + distance]) {
      if (revision >= 0n && computeEventHash({ ...event, revision }) === event.metadata.hash)
        return revision;
    }
  }
  return undefined;
}

async function listStreams(store: Pick<EventStore, 'readAll'>): Promise<string[]> {
  const streamIds = new Set<string>();
  let fromPosition = 0n;
  for (;;) {
    const page = await store.readAll({ fromPosition, maxCount: PAGE_SIZE });
    for (const event of page) streamIds.add(event.streamId);
    const last = page[page.length - 1];
    if (last === undefined || page.length < PAGE_SIZE) return [...streamIds];
    if (last.position <= fromPosition)
      throw new Error(`readAll did not advance past position ${fromPosition}`);
    fromPosition = last.position;
  }
}

async function readWholeStream(
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let fromRevision = 0n;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision, maxCount: PAGE_SIZE });
    events.push(...page);
    const last = page[page.length - 1];
    if (last === undefined || page.length < PAGE_SIZE) return events;
    fromRevision = last.revision + 1n;
  }
}
