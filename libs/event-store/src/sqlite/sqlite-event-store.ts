/**
 * The embedded EventStore adapter: one SQLite file (better-sqlite3, synchronous) behind the async port.
 * Several processes may share the file: WAL lets readers run beside the single writer, busy_timeout makes
 * a writer wait for another's lock, and live subscriptions poll for appends made elsewhere.
 */
import type Database from 'better-sqlite3';
import { GuardedEventStore, type AppendRequest } from '../guarded-event-store';
import { AppendNotifier, catchUpSubscription } from '../catch-up-subscription';
import { StreamNotFound } from '../errors';
import {
  groupCommitQueueOf,
  type GroupCommitQueue,
  type GroupCommitOptions,
  type Settled,
} from '../group-commit';
import { systemClock } from '../port';
import type {
  AppendOptions,
  AppendResult,
  Clock,
  EventStore,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  RecordStore,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  WalStatus,
} from '../port';
import { appendWithOptions, type AppendOutcome } from './append';
import { openDatabase, type SqliteSynchronous } from './schema';
import { prepareStatements, REVISION_END, toRecordedEvent, type Statements } from './statements';
import { readAllRawSqlite } from './stream-read';
import { SqliteWriterThread } from './writer-thread';
import { SqliteCheckpointer, type CheckpointOptions } from './checkpointer';
import { WalIndex } from './wal-index';
import type { RawEventRow, ReadAllRawOptions } from '../stream-read';

export type { SqliteSynchronous } from './schema';
export type { CheckpointOptions } from './checkpointer';

export interface SqliteEventStoreOptions extends GroupCommitOptions {
  /** Path of the database file (created if missing); ':memory:' for a private throwaway store. */
  readonly file: string;
  /** Source of metadata.recordedAt; inject a fixed clock in tests. */
  readonly clock?: Clock;
  /** FULL (default) survives power loss after commit; NORMAL in WAL may lose the last commits, never corrupts. */
  readonly synchronous?: SqliteSynchronous;
  /** How often a live subscription checks for appends by other processes. */
  readonly pollIntervalMs?: number;
  /** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
  /** Events per query while a subscription catches up (bounds its memory). */
  readonly subscriptionBatchSize?: number;
  /**
   * Group-commit batches committed on a worker thread with its own connection (writer-thread.ts,
   * docs/architecture.md §4 "The writer thread"), so the main thread keeps serving while a batch is
   * hashed, inserted and fsynced. Off by default: on this machine it measured no faster
   * (docs/benchmarks.md "Writer thread"). A ':memory:' store, or group commit off, writes in-thread.
   */
  readonly writerThread?: boolean;
  /**
   * Where WAL checkpoints run (checkpointer.ts, docs/architecture.md §4 "Checkpoints off the committing
   * thread"): `{ mode: 'thread' }` on a checkpointer thread, so a COMMIT on this thread only appends to
   * and syncs the WAL; default `inline`, SQLite's automatic checkpoint inside the COMMIT that passes 1000
   * frames. Ignored with the writer thread (its COMMITs are off this thread already) and in memory.
   */
  readonly checkpoint?: CheckpointOptions;
}

/** Frames past which an inline COMMIT checkpoints (wal_autocheckpoint) unless options.checkpoint says. */
export const INLINE_CHECKPOINT_FRAMES = 4000;

/** readAll without maxCount returns at most this many events; page with fromPosition for more. */
export const READ_ALL_DEFAULT_MAX_COUNT = 1000;

export class SqliteEventStore extends GuardedEventStore implements EventStore {
  readonly file: string;
  readonly synchronous: SqliteSynchronous;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly subscriptionBatchSize: number;
  private readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly notifier = new AppendNotifier();
  private readonly appendTransaction: (
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ) => AppendOutcome;
  /** Runs on this thread after each commit of its connection: wakes the checkpointer thread. */
  private readonly afterCommit: () => void;
  private readonly readStreamTransaction: (
    streamId: string,
    options: ReadStreamOptions,
  ) => RecordedEvent[] | undefined;
  /** Undefined when group commit is off: every append is its own transaction. */
  private readonly groupCommit: GroupCommitQueue<AppendRequest, AppendResult> | undefined;
  /** Whether the batches commit on the writer thread (started by the first batch). */
  private readonly writerWanted: boolean;
  /** The worker that commits the batches, once started; undefined while none was needed. */
  private writer: SqliteWriterThread | undefined;
  /** Whether checkpoints run on a checkpointer thread (started by the first commit). */
  private readonly checkpointerWanted: boolean;
  private checkpointer: SqliteCheckpointer | undefined;
  /** walStatus's look at the WAL: opened by its first call, closed by close(). */
  private walIndex: WalIndex | undefined;

  constructor(options: SqliteEventStoreOptions) {
    super();
    this.file = options.file;
    this.synchronous = options.synchronous ?? 'FULL';
    this.clock = options.clock ?? systemClock;
    this.pollIntervalMs = positiveInteger(options.pollIntervalMs ?? 50, 'pollIntervalMs');
    this.subscriptionBatchSize = positiveInteger(
      options.subscriptionBatchSize ?? 500,
      'subscriptionBatchSize',
    );
    const busyTimeoutMs = positiveInteger(options.busyTimeoutMs ?? 10_000, 'busyTimeoutMs');
    // Checked before the database opens, so a bad value leaves no connection behind.
    const inlineFrames =
      options.checkpoint?.mode === 'thread'
        ? undefined
        : positiveInteger(
            options.checkpoint?.thresholdFrames ?? INLINE_CHECKPOINT_FRAMES,
            'thresholdFrames',
          );
    this.db = openDatabase({ file: this.file, synchronous: this.synchronous, busyTimeoutMs });
    this.statements = prepareStatements(this.db);
    const transaction = this.db.transaction(
      (streamId: string, events: readonly NewEvent[], appendOptions: AppendOptions) =>
        appendWithOptions(this.statements, this.clock, streamId, events, appendOptions),
    );
    // IMMEDIATE takes the write lock up front; a deferred transaction would read first and could only fail on upgrade.
    this.appendTransaction = transaction.immediate;
    // Group commit (../group-commit.ts): the batch is one IMMEDIATE transaction; inside it better-sqlite3
    // runs `transaction` (the same function) as a SAVEPOINT, so a refused append rolls back only itself.
    const batchTransaction = this.db.transaction(
      (requests: readonly AppendRequest[]): Settled<AppendOutcome>[] =>
        requests.map((request) => {
          try {
            return {
              ok: true,
              value: transaction(request.streamId, request.events, request.options),
            };
          } catch (error) {
            return { ok: false, error };
          }
        }),
    ).immediate;
    const inMemory = this.file === ':memory:' || this.file === '';
    this.writerWanted = options.writerThread === true && options.groupCommit !== false && !inMemory;
    const checkpoint = options.checkpoint;
    this.checkpointerWanted = checkpoint?.mode === 'thread' && !this.writerWanted && !inMemory;
    // The committing connection stops checkpointing from its open on; the thread starts with the first
    // commit, so a store opened only to read never pays for it.
    if (this.checkpointerWanted) this.db.pragma('wal_autocheckpoint = 0');
    // Inline, the COMMIT that takes the WAL past the threshold checkpoints: 4000 frames by default, not
    // SQLite's 1000, so a page written again and again (the random leaves of the stream, event id and
    // record key indexes) is copied back once per 4000 frames, not once per 1000 (CPU per append,
    // docs/architecture.md §4 "Checkpoints off the committing thread"); durability is the same, the WAL
    // only longer.
    else if (!inMemory && !this.writerWanted && inlineFrames !== undefined)
      this.db.pragma(`wal_autocheckpoint = ${inlineFrames}`);
    const connection = { file: this.file, synchronous: this.synchronous, busyTimeoutMs };
    this.afterCommit =
      checkpoint === undefined || !this.checkpointerWanted
        ? () => undefined
        : () => {
            this.checkpointer ??= new SqliteCheckpointer(this.db, connection, checkpoint);
            this.checkpointer.committed();
          };
    // Started by the first batch, not at open: a store opened only to read (the CLI, the auditor, a
    // verification) never pays for a thread. One that failed to open (another process held the lock
    // past busyTimeoutMs) or died is replaced by the next batch; its batch failed as a whole.
    const writerOf = (): SqliteWriterThread => {
      const failed = this.writer?.failure;
      if (failed !== undefined) void this.writer?.close();
      if (failed !== undefined || this.writer === undefined)
        this.writer = new SqliteWriterThread(
          { file: this.file, synchronous: this.synchronous, busyTimeoutMs },
          this.clock,
        );
      return this.writer;
    };
    this.groupCommit = groupCommitQueueOf<AppendRequest, AppendResult>(
      options,
      async (requests) => {
        const settled = this.writerWanted
          ? await writerOf().commitBatch(requests)
          : batchTransaction(requests);
        if (!this.writerWanted) this.afterCommit();
        // Committed: wake subscribers once for the batch, then answer every caller.
        if (settled.some((outcome) => outcome.ok && outcome.value.appended))
          this.notifier.notifyAll();
        return settled.map((outcome) =>
          outcome.ok ? { ok: true, value: outcome.value.result } : outcome,
        );
      },
    );
    // One read transaction, so one snapshot: outside one, the events query and the existence query could
    // straddle another process's first append to the stream and answer [] for a stream with events.
    this.readStreamTransaction = this.db.transaction(
      (streamId: string, readOptions: ReadStreamOptions) =>
        this.readStreamRows(streamId, readOptions),
    ).deferred;
  }

  protected async appendChecked(request: AppendRequest): Promise<AppendResult> {
    if (this.groupCommit !== undefined) return this.groupCommit.submit(request);
    const outcome = this.appendTransaction(request.streamId, request.events, request.options);
    this.afterCommit();
    if (outcome.appended) this.notifier.notifyAll();
    return outcome.result;
  }

  /**
   * Records beside the log (issue 12). A record written alone travels the append path as an empty
   * append, so under group commit it shares its batch's transaction (one fsync) like any append.
   */
  readonly records: RecordStore = {
    read: async (key) => {
      this.assertOpen();
      const row = this.statements.recordByKey.get(key);
      return row === undefined ? undefined : (JSON.parse(row.value) as JsonObject);
    },
    write: async (record) => {
      await this.appendToStream(record.key, [], { expectedRevision: 'any', record });
    },
  };

  /** True when batches commit on the writer thread (writer-thread.ts), false when on this thread. */
  get usesWriterThread(): boolean {
    return this.writerWanted;
  }

  /** The checkpointer thread once a commit started it (checkpointer.ts); undefined otherwise. */
  get checkpointerThread(): SqliteCheckpointer | undefined {
    return this.checkpointer;
  }

  /**
   * The WAL's length and the checkpoints run so far (EventStore.walStatus, for the metrics scrape:
   * docs/operations.md "Metrics"). Read only when called, through a WalIndex opened by the first call and
   * closed by close(); nothing is added to the write path. Undefined in memory, once closed, or when the
   * WAL-index header cannot be read.
   */
  walStatus(): WalStatus | undefined {
    if (this.closed || this.file === ':memory:' || this.file === '') return undefined;
    this.walIndex ??= new WalIndex(this.file);
    const wal = this.walIndex.read();
    if (wal === undefined) return undefined;
    const checkpointer = this.checkpointer;
    return {
      frames: wal.frames,
      waiting: wal.waiting,
      checkpointerThread:
        checkpointer === undefined
          ? 'none'
          : checkpointer.failure === undefined
            ? 'running'
            : 'failed',
      threadCheckpoints: checkpointer?.checkpoints ?? 0,
      writerCheckpoints: checkpointer?.inlineCheckpoints ?? 0,
    };
  }

  /** Group-commit transactions run so far; undefined with group commit off. */
  get groupCommitBatches(): number | undefined {
    return this.groupCommit?.batches;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    // A read of the whole stream (from its start forwards, or from its end backwards: the default, and every
    // cold load of a decider) is one statement, its own snapshot: no rows means no stream, so it needs
    // neither the existence query nor the read transaction around the two (BEGIN and COMMIT cost more than
    // the query itself for a new applicant's empty read: docs/benchmarks.md, "The write path, session 7").
    const events = coversWholeStream(options)
      ? this.readStreamRows(streamId, options, true)
      : this.readStreamTransaction(streamId, options);
    // Thrown outside the read transaction, so "no stream" (every new applicant's first read) does not
    // also unwind through better-sqlite3's rollback; the error itself skips its stack (../errors.ts).
    if (events === undefined) throw new StreamNotFound(streamId);
    return events;
  }

  /** The stream's events, or undefined when it does not exist. */
  private readStreamRows(
    streamId: string,
    options: ReadStreamOptions,
    wholeStream = false,
  ): RecordedEvent[] | undefined {
    const direction = options.direction ?? 'forwards';
    // A decider needs the whole stream unless it asks for less. A whole-stream read has statements
    // without LIMIT: a bound LIMIT makes SQLite re-prepare the SELECT at every call (docs/benchmarks.md
    // "The write path, session 8").
    const limit =
      options.maxCount === undefined ? undefined : positiveInteger(options.maxCount, 'maxCount');
    const forwards = direction === 'forwards';
    const from = options.fromRevision ?? (forwards ? 'start' : 'end');
    const revision = from === 'start' ? 0n : from === 'end' ? REVISION_END : from;
    const { readForwards, readForwardsAll, readBackwards, readBackwardsAll } = this.statements;
    const rows =
      limit === undefined
        ? (forwards ? readForwardsAll : readBackwardsAll).all(streamId, revision)
        : (forwards ? readForwards : readBackwards)(limit).all(streamId, revision);
    if (
      rows.length === 0 &&
      (wholeStream || this.statements.streamExists.get(streamId) === undefined)
    )
      return undefined;
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = positiveInteger(options.maxCount ?? READ_ALL_DEFAULT_MAX_COUNT, 'maxCount');
    return this.statements
      .readAll(limit)
      .all(options.fromPosition ?? 0n)
      .map(toRecordedEvent);
  }

  /** The streaming read of the whole log (../stream-read.ts, issue 13): one cursor, raw texts. */
  readAllRaw(options?: ReadAllRawOptions): AsyncIterable<readonly RawEventRow[]> {
    this.assertOpen();
    return readAllRawSqlite(this.file, this.db, options);
  }

  subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    const source = {
      readAll: (readOptions: ReadAllOptions) => this.readAll(readOptions),
      waitForEventsAfter: (position: bigint, signal: AbortSignal | undefined) =>
        this.waitForEventsAfter(position, signal),
      isClosed: () => this.closed,
    };
    return catchUpSubscription(source, { ...options, batchSize: this.subscriptionBatchSize });
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.headPositionNow();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are committed and answered before the database closes.
    await this.groupCommit?.drain();
    this.closed = true;
    this.walIndex?.close();
    this.walIndex = undefined;
    // The writer thread closes its connection after the drained batches and ends.
    await this.writer?.close();
    if (this.checkpointer !== undefined) {
      await this.checkpointer.close();
      // What the thread had not copied yet, copied here (closing the last connection would too).
      this.db.pragma('wal_checkpoint(PASSIVE)');
    }
    // Wake live subscriptions so they see `closed` and finish instead of waiting out their poll.
    this.notifier.notifyAll();
    this.db.close();
  }

  /** Returns when the log has moved past `position` (in-process append or poll) or on abort or close. */
  private async waitForEventsAfter(
    position: bigint,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    while (!this.closed && signal?.aborted !== true) {
      if (this.headPositionNow() > position) return;
      await this.notifier.wait(this.pollIntervalMs, signal);
    }
  }

  private headPositionNow(): bigint {
    return this.statements.headPosition.get()?.position ?? 0n;
  }

  protected describeStore(): string {
    return `event store ${this.file}`;
  }
}

export async function openSqliteEventStore(
  options: SqliteEventStoreOptions,
): Promise<SqliteEventStore> {
  return new SqliteEventStore(options);
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Whether a read asks for every revision of the stream (maxCount aside): from the start forwards or the end backwards. */
function coversWholeStream(options: ReadStreamOptions): boolean {
  const from = options.fromRevision;
  return options.direction === 'backwards'
    ? from === undefined || from === 'end'
    : from === undefined || from === 'start' || from === 0n;
}
