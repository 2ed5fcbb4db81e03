/**
 * One partition of the parallel rebuild, on a worker thread (issue 13; libs/projections/README.md
 * "Parallel rebuild"). It reads its own streams' events straight from the SQLite event store file, stream
 * by stream (`ORDER BY stream_id, revision`, over the `(stream_id, revision)` index; the partition and the
 * event types no read model reads are filtered inside SQLite, so their data is never fetched nor parsed),
 * and evolves every model but the fiscal totals with the same pure step as the sequential runner
 * (projectApplicantEvent). Every per-applicant model reads and writes one applicant's rows, and every
 * event that touches an applicant is in the applicant's stream (docs/architecture.md §2), so an applicant
 * is evolved whole, first event to last, and is never needed again once its stream ends: the applicant
 * cache is a handful of slices, nothing is evicted and read back, and a claim row is written about once
 * per batch. An event's watermark does not depend on the order (its own recordedAt, or the step-back map
 * of the ledger-time pass). The rows go into a shard of its own (a SQLite file with the generation's
 * tables, no journal; the coordinator copies the shards into the generation inside SQLite at the end), and
 * the fiscal movements into a file of their own, keyed by position (`rebuild_movements`): every
 * partition's movements are folded in position order once the workers are done (./fiscal-fold.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { EventRowOf } from '@hz/event-store/rows';
import { applicantStreamId } from '@hz/ledger';
import type { LedgerRecord } from '../model/ledger-record';
import { instantMs } from '../model/ledger-time';
import { applicantOf, projectApplicantEvent } from '../model/project-event';
import type { FiscalMovement } from '../model/fiscal';
import { BatchBuilder } from '../runner/batch-builder';
import { RunnerState } from '../runner/runner-state';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { START_CHECKPOINT } from '../store/read-store';
import { recordOfRow } from './event-row';
import { foldIntoFile, MOVEMENTS_DDL, MOVEMENTS_INSERT } from './fiscal-fold';
import {
  applicantPartition,
  isApplicantStream,
  partitionSql,
  projectedTypesSql,
} from './log-partition';
import {
  LOG_CACHE_KIB,
  STREAM_ORDER_APPLICANTS_CACHED,
  type FiscalFoldWorkerData,
  type RebuildWorkerData,
  type WorkerMessage,
} from './worker-protocol';

/** The shard connection's page cache: the shard is written, and read only for an applicant's first event. */
const SHARD_CACHE_KIB = 16_384;

/** The page cache of the movements file (inserted in stream order, keyed by position), KiB. */
const MOVEMENTS_CACHE_KIB = 4096;

/**
 * Thrown when an event touches an applicant other than its stream's (never in a ledger the deciders wrote:
 * docs/architecture.md §2): stream order would then evolve that applicant out of position order.
 */
export class PartitionMismatch extends Error {
  readonly code = 'PROJECTION.PARTITION_MISMATCH';
  constructor(position: bigint, applicant: string) {
    super(`event at position ${position} touches applicant ${applicant} outside its own stream`);
    this.name = 'PartitionMismatch';
  }
}

/**
 * Projects one partition into its shard. On a worker thread (main below), or on the coordinator's own
 * thread when there is one partition (`signal` given: it then yields to the event loop after every batch,
 * so that an abort, the ledger-time pass and progress reports are served between batches).
 */
export async function runPartition(
  data: RebuildWorkerData,
  post: (message: WorkerMessage) => void,
  signal?: AbortSignal,
): Promise<{ readonly events: number; readonly generation: number; readonly movements: number }> {
  const events = new Database(data.eventFile, { readonly: true, fileMustExist: true });
  events.pragma(`cache_size = -${LOG_CACHE_KIB}`);
  const store = new SqliteReadStore(data.shardFile, {
    synchronous: 'OFF',
    journalMode: 'OFF',
    cacheSizeKib: SHARD_CACHE_KIB,
  });
  // The movements go to a file of their own: the fiscal fold reads them while the coordinator copies the
  // shard (./parallel-rebuild.ts), and two connections on one file would wait on each other's locks.
  const moves = new Database(data.movementsFile);
  moves.pragma('journal_mode = OFF');
  moves.pragma('synchronous = OFF');
  moves.pragma(`cache_size = -${MOVEMENTS_CACHE_KIB}`);
  const stepBacks = new Map(data.stepBacks.map(([position, watermark]) => [position, watermark]));
  let projected = 0;
  try {
    // `+position`: SQLite walks the (stream_id, revision) index in order instead of reading the position
    // range and sorting it in a temporary B-tree as large as the partition (as the event store's stream
    // reads do, libs/event-store/src/sqlite/stream-read.ts).
    const rows = events
      .prepare(
        `SELECT position, stream_id, revision, event_id, type, data, metadata FROM events
          WHERE +position <= ? AND type IN (${projectedTypesSql()}) AND ${partitionSql(data.workers)} = ?
          ORDER BY stream_id, revision`,
      )
      .safeIntegers(true)
      .iterate(BigInt(data.endPosition), data.partition) as IterableIterator<EventRowOf<bigint>>;
    const { generation } = await store.createGeneration(PROJECTION_SCHEMA_VERSION, {
      bulkLoad: true,
    });
    moves.exec(MOVEMENTS_DDL);
    const movements = new MovementWriter(moves);
    const state = await RunnerState.load(
      store,
      generation,
      true,
      Math.min(data.applicantsCachedMax, STREAM_ORDER_APPLICANTS_CACHED),
    );
    let batch: LedgerRecord[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await projectBatch(data, generation, state, store, stepBacks, movements, batch);
      projected += batch.length;
      post({ kind: 'batch', events: batch.length });
      batch = [];
      if (signal !== undefined) {
        await new Promise((resolve) => setImmediate(resolve));
        signal.throwIfAborted();
      }
    };
    signal?.throwIfAborted();
    for (const row of rows) {
      batch.push(recordOfRow(row));
      if (batch.length >= data.batchSize) await flush();
    }
    await flush();
    return { events: projected, generation, movements: movements.count };
  } finally {
    await store.close();
    moves.close();
    events.close();
  }
}

/** The shard's fiscal movements, one row per movement keyed by (position, its index in the event). */
class MovementWriter {
  private readonly insert: Database.Statement;
  private readonly write: (rows: readonly MovementRow[]) => void;

  constructor(db: Database.Database) {
    this.insert = db.prepare(MOVEMENTS_INSERT);
    this.write = db.transaction((rows: readonly MovementRow[]) => {
      for (const row of rows)
        this.insert.run(
          row.position,
          row.index,
          row.watermarkMs,
          row.movement.funder,
          row.movement.month,
          row.movement.clause,
          row.movement.flow,
          row.movement.amount,
        );
    });
  }

  /** Movements written so far. */
  count = 0;

  append(rows: readonly MovementRow[]): void {
    if (rows.length > 0) this.write(rows);
    this.count += rows.length;
  }
}

interface MovementRow {
  readonly position: number;
  readonly index: number;
  readonly watermarkMs: number;
  readonly movement: FiscalMovement;
}

async function projectBatch(
  data: RebuildWorkerData,
  generation: number,
  state: RunnerState,
  store: SqliteReadStore,
  stepBacks: ReadonlyMap<number, number>,
  movements: MovementWriter,
  records: readonly LedgerRecord[],
): Promise<void> {
  await state.prepare(records);
  const builder = new BatchBuilder(generation, START_CHECKPOINT);
  const rows: MovementRow[] = [];
  // The batch's events are in stream order, not position order: the builder's checkpoint (which must
  // rise) is a count here and is never used; the rows' own positions and watermarks are the events'.
  let order = 0n;
  for (const record of records) {
    const applicant = applicantOf(record);
    if (
      applicant !== undefined &&
      (applicantPartition(applicant, data.workers) !== data.partition ||
        (isApplicantStream(record.streamId) && record.streamId !== applicantStreamId(applicant)))
    )
      throw new PartitionMismatch(record.position, applicant);
    const position = Number(record.position);
    const watermarkMs = stepBacks.get(position) ?? instantMs(record.metadata.recordedAt);
    const step = projectApplicantEvent(state, record, watermarkMs);
    state.apply(step.changes);
    builder.add(step.changes, { position: (order += 1n), watermarkMs });
    step.movements.forEach((movement, index) =>
      rows.push({ position, index, watermarkMs, movement }),
    );
  }
  await store.writeRows(generation, builder.build().rows);
  movements.append(rows);
  state.evict();
}

function main(): void {
  const port = parentPort;
  const data = workerData as RebuildWorkerData | FiscalFoldWorkerData | undefined;
  if (port === null) return;
  // A partition, or the fiscal fold of every partition's movements (./fiscal-fold.ts foldIntoFile).
  const run =
    data?.kind === 'hz-rebuild-partition'
      ? runPartition(data, (message) => port.postMessage(message))
      : data?.kind === 'hz-rebuild-fiscal'
        ? foldIntoFile(data.movementsFiles, data.fiscalFile, data.writeRows).then((generation) => ({
            events: 0,
            generation,
            movements: 0,
          }))
        : undefined;
  run?.then(
    ({ events, generation, movements }) => {
      port.postMessage({ kind: 'done', events, generation, movements } satisfies WorkerMessage);
      port.close();
    },
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      port.postMessage({
        kind: 'error',
        name: failure.name,
        message: failure.message,
        code: (failure as { code?: unknown }).code as string | undefined,
      } satisfies WorkerMessage);
      port.close();
    },
  );
}

main();
