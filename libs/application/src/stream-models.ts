/**
 * Decision streams folded into state, in one place: the two kinds of decision stream behind one shape
 * (so the service's load–decide–append loop is written once; each model closes over its typed command
 * and the decision context), reading a stream and folding it onto a model's state, the fold at the
 * position a reviewer decided from, the per-process cache of folds, and the turns that keep one stream's
 * loads from overlapping. The service, the reader and the tests use them.
 */
import {
  allocationDecider,
  applicantDecider,
  InvariantViolation,
  viewPositionOf,
  type AllocationState,
  type CommandTarget,
  type ApplicantState,
  type DecisionContext,
  type Decider,
  type LedgerEvent,
} from '@hz/ledger';
import {
  StreamNotFound,
  type EventStore,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@hz/event-store';
import { toLedgerEvent } from './event-envelope';
import { allocationResult, applicantResult, type CommandResult } from './results';

export interface StreamModel<TState> {
  /** Which decider this is; the stream cache keeps states of one kind apart from the other. */
  readonly kind: CommandTarget['kind'];
  readonly initialState: () => TState;
  /** Throws on an event that cannot belong to this stream: a corrupt stream must not be decided on. */
  readonly evolve: (state: TState, event: LedgerEvent) => TState;
  readonly decide: (state: TState) => readonly LedgerEvent[];
  readonly result: (state: TState, events: readonly LedgerEvent[]) => CommandResult;
}

function streamModel<TCommand, TState, TEvent extends LedgerEvent>(
  kind: CommandTarget['kind'],
  decider: Decider<TCommand, TState, TEvent, DecisionContext>,
  command: TCommand,
  context: DecisionContext,
  result: StreamModel<TState>['result'],
): StreamModel<TState> {
  return {
    kind,
    initialState: decider.initialState,
    // Each evolve rejects every event type of another stream loudly, so the narrowing cast cannot hide corruption.
    evolve: (state, event) => decider.evolve(state, event as TEvent),
    decide: (state) => decider.decide(command, state, context),
    result,
  };
}

/** The model of the stream a command is decided on (its target, from the command registry). */
export function modelOf(
  target: CommandTarget,
  context: DecisionContext,
): StreamModel<ApplicantState> | StreamModel<AllocationState> {
  if (target.kind === 'allocation')
    return streamModel('allocation', allocationDecider, target.command, context, (state) =>
      allocationResult(state),
    );
  return streamModel('applicant', applicantDecider, target.command, context, (state, events) =>
    applicantResult(target.command, state, events),
  );
}

/** A stream that does not exist yet is an empty history, decided from the initial state. */
export async function readStreamOrEmpty(
  store: EventStore,
  streamId: string,
  options?: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  try {
    return await (options === undefined
      ? store.readStream(streamId)
      : store.readStream(streamId, options));
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

/** Folds recorded events onto `state` (the initial state unless given: a cached fold continues from there). */
export function foldRecorded<TState>(
  model: Pick<StreamModel<TState>, 'initialState' | 'evolve'>,
  recorded: readonly RecordedEvent[],
  state: TState = model.initialState(),
): TState {
  let folded = state;
  for (const event of recorded) folded = model.evolve(folded, toLedgerEvent(event));
  return folded;
}

// ---- The view a reviewer decided from ----

/**
 * The view a reviewer decided from (issue 18; libs/ledger/src/applicant/stale-view.ts): a DecideClaim that
 * names a `viewPosition` is decided with the applicant stream folded up to that log position beside the
 * current fold, so the pure decider can compare the figures seen with the figures now. Positions of one
 * stream only grow, so the view is a prefix of the stream and does not move between append attempts.
 */
/** The context to decide the target's command with: `context`, plus the view when the command names one. */
export async function decisionContextFor(
  store: EventStore,
  target: CommandTarget,
  context: DecisionContext,
): Promise<DecisionContext> {
  if (target.kind !== 'applicant' || target.command.type !== 'DecideClaim') return context;
  // A malformed position is refused here (400 COMMAND.INVALID) before the stream is read.
  const position = viewPositionOf(target.command.data);
  if (position === undefined) return context;
  const limit = BigInt(position);
  const recorded = await readStreamOrEmpty(store, target.streamId);
  const seen = recorded.filter((event) => event.position <= limit);
  const model = modelOf(target, context) as StreamModel<ApplicantState>;
  return { ...context, view: { position, state: foldRecorded(model, seen) } };
}

// ---- The cache of folds ----

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

// ---- Turns: the commands of one stream run one at a time ----

/**
 * Tasks under one key take turns within this process: each starts after the previous one under the
 * same key has settled (resolved or rejected); tasks under other keys run freely. The map holds a key
 * only while tasks for it are queued, so it stays as small as the work in flight.
 */
export class KeyedTurns {
  private readonly tails = new Map<string, Promise<void>>();

  /** True while a task under this key is queued or running. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
