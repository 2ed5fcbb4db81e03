/**
 * The PostgreSQL EventStore adapter. Several processes (API replicas, the projector) share one database:
 * appends serialise per stream on an advisory lock and take positions in a short global section
 * (./append.ts), readers of the global log see only what every older transaction has finished
 * (./reads.ts), and live subscriptions wake on LISTEN/NOTIFY with polling as the fallback.
 */
import { Pool, type PoolClient } from 'pg';
import { GuardedEventStore } from '../guarded-event-store';
import { catchUpSubscription, type CatchUpSource } from '../catch-up-subscription';
import { StoreOverloaded, WrongExpectedVersion } from '../errors';
import {
  groupCommitQueueOf,
  type GroupCommitQueue,
  writeQueueLimitOf,
  type GroupCommitOptions,
  type Settled,
} from '../group-commit';
import {
  appendBatchWithinTransaction,
  BatchNeedsSingleAppends,
  type BatchRequest,
} from './batch-append';
import { systemClock } from '../port';
import type {
  AppendOptions,
  AppendResult,
  Clock,
  EventStore,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  RecordStore,
  SubscribeOptions,
} from '../port';
import { appendWithinTransaction, readStreamHead } from './append';
import { AppendAnnouncer } from './append-announcer';
import { AppendListener } from './append-listener';
import {
  abandonTransaction,
  ignoreDroppedConnection,
  positiveInteger,
  uniqueViolation,
} from './pg-support';
import { readAllSafe, readSafeHeadPosition, readStreamEvents } from './reads';
import { readAllRawPostgres } from './stream-read';
import type { RawEventRow, ReadAllRawOptions } from '../stream-read';
import { ensureReportingEventsView } from './reporting-view';
import { ensureSchema, schemaNames, type SchemaNames } from './schema';

interface CommonOptions extends GroupCommitOptions {
  /** Schema holding the tables (created if missing); default `event_store`. */
  readonly schema?: string;
  /** Source of metadata.recordedAt; inject a fixed clock in tests. */
  readonly clock?: Clock;
  /** Fallback poll of live subscriptions when no notification arrives (ms); default 500. */
  readonly pollIntervalMs?: number;
  /** Events per query while a subscription catches up; default 500. */
  readonly subscriptionBatchSize?: number;
  /**
   * When appends wake subscribers: 'in-transaction' (default; pg_notify in the append, atomic with it)
   * or 'after-commit' (coalesced, lets commits overlap; see ./append-announcer.ts).
   */
  readonly notify?: 'in-transaction' | 'after-commit';
  /**
   * Schema of the BI view `events` (./reporting-view.ts, docs/reporting.md): default `reporting` for the
   * default schema, none (null) for any other.
   */
  readonly reportingSchema?: string | null;
}

export type PostgresEventStoreOptions = CommonOptions &
  (
    | {
        readonly connectionString: string;
        readonly pool?: undefined;
        /** Connections in the store's own pool; default 10. */ readonly poolSize?: number;
      }
    | {
        /** A pool the caller owns: close() leaves it open. */ readonly pool: Pool;
        readonly connectionString?: undefined;
      }
  );

export const POSTGRES_DEFAULT_SCHEMA = 'event_store';
/** A unique violation on event_id means a concurrent append of the same id elsewhere: re-run to classify it. */
const APPEND_ATTEMPTS_MAX = 3;

export class PostgresEventStore extends GuardedEventStore implements EventStore {
  readonly names: SchemaNames;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly subscriptionBatchSize: number;
  private readonly listener: AppendListener;
  private readonly announcer: AppendAnnouncer | undefined;
  /** Appends in flight (waiting for a connection or committing); bounded by writeQueueLimit. */
  private appendsInFlight = 0;
  private readonly writeQueueLimit: number;
  /** Undefined when group commit is off: every append is its own transaction (pipelined on the pool). */
  private readonly groupCommit: GroupCommitQueue<BatchRequest, AppendResult> | undefined;

  /** Use openPostgresEventStore, which also creates the schema. */
  constructor(
    private readonly pool: Pool,
    private readonly ownsPool: boolean,
    options: CommonOptions,
  ) {
    super();
    this.names = schemaNames(options.schema ?? POSTGRES_DEFAULT_SCHEMA);
    this.clock = options.clock ?? systemClock;
    this.pollIntervalMs = positiveInteger(options.pollIntervalMs ?? 500, 'pollIntervalMs');
    this.subscriptionBatchSize = positiveInteger(
      options.subscriptionBatchSize ?? 500,
      'subscriptionBatchSize',
    );
    this.writeQueueLimit = positiveInteger(writeQueueLimitOf(options), 'writeQueueLimit');
    this.groupCommit = groupCommitQueueOf<BatchRequest, AppendResult>(options, (requests) =>
      this.commitBatch(requests),
    );
    this.listener = new AppendListener(pool, this.names.channel, this.pollIntervalMs);
    this.announcer =
      options.notify === 'after-commit' ? new AppendAnnouncer(pool, this.names.channel) : undefined;
  }

  protected async appendChecked(request: BatchRequest): Promise<AppendResult> {
    if (this.groupCommit !== undefined) return this.groupCommit.submit(request);
    // Bounded: past the limit the caller is refused at once (503 LEDGER.OVERLOADED), never queued.
    if (this.appendsInFlight >= this.writeQueueLimit)
      throw new StoreOverloaded(this.writeQueueLimit);
    this.appendsInFlight += 1;
    try {
      return await this.appendWithRetries(request.streamId, request.events, request.options);
    } finally {
      this.appendsInFlight -= 1;
    }
  }

  private async appendWithRetries(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    for (let attempt = 1; attempt <= APPEND_ATTEMPTS_MAX; attempt += 1) {
      try {
        // Conditions, appends alongside and records lock several keys: the batch path does that (in
        // lock-key order) and writes them in one transaction, for one request as for many.
        if (
          (options.conditions?.length ?? 0) > 0 ||
          (options.alongside?.length ?? 0) > 0 ||
          options.record !== undefined
        )
          return await this.appendAsBatchOfOne({ streamId, events, options });
        return await this.appendOnce(streamId, events, options.expectedRevision);
      } catch (error) {
        const constraint = uniqueViolation(error);
        if (
          (constraint === 'events_event_id_key' || error instanceof BatchNeedsSingleAppends) &&
          attempt < APPEND_ATTEMPTS_MAX
        )
          continue;
        if (constraint === 'events_stream_revision_key' || constraint === 'streams_pkey') {
          const actual =
            (await readStreamHead(this.pool, this.names, streamId))?.revision ?? 'no_stream';
          throw new WrongExpectedVersion(streamId, options.expectedRevision, actual);
        }
        throw error;
      }
    }
    throw new Error(`append to ${streamId}: ${APPEND_ATTEMPTS_MAX} attempts collided on event ids`);
  }

  /**
   * Records beside the log (issue 12), in `records` of this schema. A record written alone travels the
   * append path as an empty append, so under group commit it shares its batch's transaction.
   */
  readonly records: RecordStore = {
    read: async (key) => {
      this.assertOpen();
      const { rows } = await this.pool.query<{ value: JsonObject }>(
        `SELECT value FROM ${this.names.records} WHERE key = $1`,
        [key],
      );
      return rows[0]?.value;
    },
    write: async (record) => {
      await this.appendToStream(record.key, [], { expectedRevision: 'any', record });
    },
  };

  /** Group-commit transactions run so far; undefined with group commit off. */
  get groupCommitBatches(): number | undefined {
    return this.groupCommit?.batches;
  }

  /** Batches that failed as a whole and were retried append by append (tests, metrics). */
  batchFallbacks = 0;

  /**
   * One batch of the group commit (./batch-append.ts): one transaction on one connection. Should the batch
   * fail as a whole, each append is retried alone on the one-append path, which gives each its own answer
   * (an append whose commit did happen is recognised there as an idempotent replay).
   */
  private async commitBatch(requests: readonly BatchRequest[]): Promise<Settled<AppendResult>[]> {
    if (requests.length > 1) {
      try {
        return await this.batchTransaction(requests);
      } catch {
        this.batchFallbacks += 1;
      }
    }
    return Promise.all(
      requests.map((request) =>
        this.appendWithRetries(request.streamId, request.events, request.options).then(
          (value): Settled<AppendResult> => ({ ok: true, value }),
          (error: unknown): Settled<AppendResult> => ({ ok: false, error }),
        ),
      ),
    );
  }

  /** One transaction for `requests` (./batch-append.ts); rolled back and rethrown if it fails as a whole. */
  private async batchTransaction(
    requests: readonly BatchRequest[],
  ): Promise<Settled<AppendResult>[]> {
    const outcome = await this.appendTransaction((client) =>
      appendBatchWithinTransaction(
        client,
        this.names,
        this.clock,
        requests,
        this.announcer === undefined,
      ),
    );
    return outcome.settled;
  }

  /**
   * BEGIN, `append`, COMMIT on one pooled connection, then the after-commit announcement; on failure
   * the transaction is abandoned (a connection that cannot be cleaned is destroyed) and the error rethrown.
   */
  private async appendTransaction<T extends { readonly appended: boolean }>(
    append: (client: PoolClient) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no pool listener: a connection dropped between two queries would emit an
    // unhandled 'error'. Taken here; the next query fails and the abandoned connection is destroyed.
    client.on('error', ignoreDroppedConnection);
    try {
      await client.query('BEGIN');
      const outcome = await append(client);
      await client.query('COMMIT');
      if (outcome.appended) this.announcer?.announce();
      return outcome;
    } catch (error) {
      broken = await abandonTransaction(client);
      throw error;
    } finally {
      client.off('error', ignoreDroppedConnection);
      client.release(broken);
    }
  }

  private async appendAsBatchOfOne(request: BatchRequest): Promise<AppendResult> {
    const [outcome] = await this.batchTransaction([request]);
    if (outcome === undefined) throw new Error(`append to ${request.streamId} was not settled`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return readStreamEvents(this.pool, this.names, streamId, options);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return readAllSafe(this.pool, this.names, options);
  }

  /** The streaming read of the whole log (../stream-read.ts, issue 13): one cursor, raw texts. */
  readAllRaw(options?: ReadAllRawOptions): AsyncIterable<readonly RawEventRow[]> {
    this.assertOpen();
    return readAllRawPostgres(this.pool, this.names, options);
  }

  subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    return this.subscription(options);
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return readSafeHeadPosition(this.pool, this.names);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are committed and answered before the pool closes.
    await this.groupCommit?.drain();
    this.closed = true;
    // Wakes waiting subscriptions so they see `closed` and finish, then releases the LISTEN connection.
    await this.listener.close();
    await this.announcer?.settle();
    if (this.ownsPool) await this.pool.end();
  }

  private async appendOnce(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const context = {
      names: this.names,
      clock: this.clock,
      notifyInTransaction: this.announcer === undefined,
    };
    const outcome = await this.appendTransaction((client) =>
      appendWithinTransaction(client, context, streamId, events, expected),
    );
    return outcome.result;
  }

  /**
   * One subscription: a notification that arrives while a page is being read marks it `pending`, so the
   * next wait returns at once instead of sleeping past it (no lost wake-up between read and wait).
   */
  private async *subscription(
    options: SubscribeOptions,
  ): AsyncGenerator<RecordedEvent, void, undefined> {
    let pending = false;
    const unregister = this.listener.onNotification(() => {
      pending = true;
    });
    const source: CatchUpSource = {
      readAll: async (readOptions) => {
        await this.listener.ensureListening();
        if (this.closed) return [];
        pending = false;
        return readAllSafe(this.pool, this.names, readOptions);
      },
      waitForEventsAfter: async (_position, signal) => {
        if (!pending) await this.listener.notifier.wait(this.pollIntervalMs, signal);
      },
      isClosed: () => this.closed,
    };
    try {
      yield* catchUpSubscription(source, { ...options, batchSize: this.subscriptionBatchSize });
    } finally {
      unregister();
    }
  }

  protected describeStore(): string {
    return `event store (schema ${this.names.schema})`;
  }
}

/** Opens the store, creating the schema if needed. */
export async function openPostgresEventStore(
  options: PostgresEventStoreOptions,
): Promise<PostgresEventStore> {
  const ownsPool = options.pool === undefined;
  const pool =
    options.pool ??
    new Pool({
      connectionString: options.connectionString,
      max: positiveInteger(options.poolSize ?? 10, 'poolSize'),
    });
  // An idle pooled connection that dies (server restart) emits 'error'; unhandled, it would kill the process.
  if (ownsPool) pool.on('error', () => undefined);
  const store = new PostgresEventStore(pool, ownsPool, options);
  try {
    const client = await pool.connect();
    try {
      await ensureSchema(client, store.names);
      const reportingSchema =
        options.reportingSchema === undefined
          ? store.names.schema === POSTGRES_DEFAULT_SCHEMA
            ? 'reporting'
            : null
          : options.reportingSchema;
      if (reportingSchema !== null)
        await ensureReportingEventsView(client, store.names, reportingSchema);
    } finally {
      client.release();
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
