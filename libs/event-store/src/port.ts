/**
 * The EventStore port (docs/architecture.md §4). Async and adapter-neutral: SQLite, PostgreSQL and
 * EventStoreDB adapters all implement it and all pass the one contract suite in ./testing.
 */

/** A JSON value as stored: events hold only plain data (money as 2-digit decimal strings). */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Metadata the caller supplies; the store adds recordedAt, hash and prevHash. */
export interface EventMetadataInput {
  readonly actor: string;
  readonly role: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly idempotencyKey: string;
  /** Business time (ISO-8601). */
  readonly occurredAt: string;
  readonly policyId?: string;
  readonly catalogHash?: string;
  readonly [key: string]: JsonValue | undefined;
}

/** Metadata as stored and read back. */
export interface StoredEventMetadata extends EventMetadataInput {
  /** Ledger time (ISO-8601), from the store's injected clock. */
  readonly recordedAt: string;
  /** SHA-256 (hex) over the canonical JSON of {stream, revision, id, type, data, metadata without hash}. */
  readonly hash: string;
  /** The hash of the previous event in the same stream; 64 zeros for revision 0. */
  readonly prevHash: string;
}

/** An event to append. `id` is a UUID derived by the caller (from the idempotency key), never random here. */
export interface NewEvent<TType extends string = string, TData extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: TType;
  readonly data: TData;
  readonly metadata: EventMetadataInput;
}

export interface RecordedEvent<
  TType extends string = string,
  TData extends JsonObject = JsonObject,
> {
  readonly id: string;
  readonly type: TType;
  readonly data: TData;
  readonly metadata: StoredEventMetadata;
  readonly streamId: string;
  /** 0-based position of the event in its stream. */
  readonly revision: bigint;
  /** Global position in the log: strictly increasing in readAll order, never reused. */
  readonly position: bigint;
}

export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

/** Another stream that must stand at a revision for an append to happen (issue 12, docs/architecture.md §4). */
export interface AppendCondition {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
  /**
   * Other streams checked in the same transaction as the append (SQLite, PostgreSQL: nothing can move
   * them between the check and the commit). One that fails refuses the append with WrongExpectedVersion
   * naming that stream, nothing written, so the caller re-reads and retries as for its own stream. An
   * idempotent replay is recognised before any check, as for `expectedRevision`. EventStoreDB checks them
   * just before its append, not atomically with it (docs/architecture.md §4).
   */
  readonly conditions?: readonly AppendCondition[];
  /**
   * Appends to other streams committed in the same transaction (one commit per command, issue 12: a
   * payment and its reference reservation): each with its own expected revision and replay recognition;
   * if one is refused the whole call is (its error names that stream) and nothing is written.
   * EventStoreDB appends them one by one before the main append, not atomically (docs/architecture.md §4).
   */
  readonly alongside?: readonly StreamAppend[];
  /**
   * A record outside the log committed in the same transaction (the HTTP idempotency record, issue 12).
   * Only on a store with `records` (SQLite, PostgreSQL); the rules of RecordStore.write apply.
   */
  readonly record?: AppendRecord;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

/**
 * A record to commit with an append. A function value is called inside the transaction with the call's
 * result (an answer that names its position); it must be pure and synchronous. Should the key hold a
 * record already, a function value is compared only when the append is a replay or empty (its result
 * known before writing); with new events to write that is RecordConflict (PostgreSQL decides before it
 * writes) — a key is recorded once, by the append that first commits under it.
 */
export interface AppendRecord {
  readonly key: string;
  readonly value: JsonObject | ((appended: AppendResult) => JsonObject);
}

/** A keyed JSON record kept beside the log, never in it: readAll, subscriptions and chains never see it. */
export interface SideRecord {
  readonly key: string;
  readonly value: JsonObject;
}

/**
 * Records beside the log (issue 12): written once, never changed. Writing a key again with the same
 * value (canonical JSON) is a no-op; with another value it is RecordConflict and nothing is written.
 */
export interface RecordStore {
  read(key: string): Promise<JsonObject | undefined>;
  /** Alone (no events); under group commit it shares its batch's transaction. */
  write(record: SideRecord): Promise<void>;
}

/**
 * For an empty `events` array (a pure expected-revision check) nextRevision is the stream's current
 * revision (-1n when it has no events) and position that of its last event (0n when none).
 */
export interface AppendResult {
  /** Revision of the last event now in the stream. */
  readonly nextRevision: bigint;
  /** Global position of the last event appended (or of the already-stored event on an idempotent replay). */
  readonly position: bigint;
}

export interface ReadStreamOptions {
  readonly fromRevision?: bigint | 'start' | 'end';
  readonly direction?: 'forwards' | 'backwards';
  /** Omitted: the whole stream (a decider needs all of it). */
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with position > fromPosition. Omit to start from the beginning. */
  readonly fromPosition?: bigint;
  /** Omitted: a bounded page (1000 in the SQLite and PostgreSQL adapters); page on with fromPosition. */
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: the subscription yields events with position > fromPosition. */
  readonly fromPosition?: bigint;
  /** Stops the subscription; the async iterator then finishes. */
  readonly signal?: AbortSignal;
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** Throws StreamNotFound if the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up then live; resumable from a checkpoint; every event exactly once, in position order. */
  subscribeToAll(options?: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** Position of the last event in the log (0n when empty; positions start at 1). */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
  /**
   * Records beside the log that commit with appends (AppendOptions.record): SQLite and PostgreSQL.
   * Undefined on EventStoreDB, which cannot share a transaction with anything.
   */
  readonly records?: RecordStore;
  /**
   * How the store's write-ahead log stands, read when called (the metrics scrape, docs/operations.md
   * "Metrics"): SQLite file stores. Absent on PostgreSQL and EventStoreDB; a SQLite store in memory, or
   * closed, answers undefined.
   */
  walStatus?(): WalStatus | undefined;
}

/**
 * An embedded (SQLite) store's write-ahead log and its checkpoints (docs/architecture.md §4 "Checkpoints
 * off the committing thread"). The counts are cumulative since the store opened, in this process.
 */
export interface WalStatus {
  /** The WAL's length in frames (one page each) since it last started over from its first frame. */
  readonly frames: number;
  /** Of those, frames not yet copied back into the database file by a checkpoint. */
  readonly waiting: number;
  /**
   * The checkpointer thread (option `checkpoint: { mode: 'thread' }`): `running`; `failed` once it failed
   * or exited (the writer then checkpoints past the hard limit); `none` inline, with the writer thread,
   * or before the first commit started it.
   */
  readonly checkpointerThread: 'running' | 'failed' | 'none';
  /** Checkpoints the checkpointer thread ran. */
  readonly threadCheckpoints: number;
  /**
   * Checkpoints the committing connection ran itself because the WAL passed the hard limit (thread mode;
   * inline, SQLite's automatic checkpoints inside the COMMIT are not counted).
   */
  readonly writerCheckpoints: number;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
