/**
 * One partition of the parallel rebuild, on a worker thread (issue 13; libs/projections/README.md
 * "Parallel rebuild"). It reads its own applicant streams' events straight from the SQLite event store
 * file (the partition and the event types no read model reads are filtered inside SQLite, so their data
 * is never fetched nor parsed), evolves every model but the fiscal totals with the same pure step as the
 * sequential runner (projectApplicantEvent), writes the rows into a shard of its own (a SQLite file with
 * the generation's tables, no journal: writing from JavaScript is the costly part, and here it runs in
 * parallel; the coordinator copies the shards into the generation inside SQLite at the end) and posts each
 * batch's fiscal movements to the coordinator, which folds them in position order. Its working set is the
 * runner's (RunnerState: a bounded LRU of applicants, evicted ones read back from the shard), so memory
 * does not grow with the ledger.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { EventRowOf } from '@hz/event-store/rows';
import type { LedgerRecord } from '../model/ledger-record';
import { instantMs } from '../model/ledger-time';
import { applicantOf, projectApplicantEvent } from '../model/project-event';
import { BatchBuilder } from '../runner/batch-builder';
import { RunnerState } from '../runner/runner-state';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { START_CHECKPOINT } from '../store/read-store';
import { recordOfRow } from './event-row';
import { applicantPartition, partitionSql, projectedTypesSql } from './log-partition';
import {
  LOG_CACHE_KIB,
  type MovementTuples,
  type RebuildWorkerData,
  type WorkerMessage,
} from './worker-protocol';

/** The shard connection's page cache: the shard is written, rarely read (evicted applicants). */
const SHARD_CACHE_KIB = 16_384;

/** Batches posted and not yet folded by the coordinator before the worker waits (bounds its queue). */
const IN_FLIGHT_MAX = 16;

/** Thrown when an event touches an applicant of another partition (never in a ledger the deciders wrote). */
export class PartitionMismatch extends Error {
  readonly code = 'PROJECTION.PARTITION_MISMATCH';
  constructor(position: bigint, applicant: string) {
    super(
      `event at position ${position} touches applicant ${applicant} outside its stream's partition`,
    );
    this.name = 'PartitionMismatch';
  }
}

export async function runPartition(
  data: RebuildWorkerData,
  post: (message: WorkerMessage) => void,
  acked: () => Promise<void>,
): Promise<{ readonly events: number; readonly generation: number }> {
  const events = new Database(data.eventFile, { readonly: true, fileMustExist: true });
  events.pragma(`cache_size = -${LOG_CACHE_KIB}`);
  const store = new SqliteReadStore(data.shardFile, {
    synchronous: 'OFF',
    journalMode: 'OFF',
    cacheSizeKib: SHARD_CACHE_KIB,
  });
  const stepBacks = new Map(data.stepBacks.map(([position, watermark]) => [position, watermark]));
  let inFlight = 0;
  let projected = 0;
  try {
    const rows = events
      .prepare(
        `SELECT position, stream_id, revision, event_id, type, data, metadata FROM events
          WHERE position <= ? AND type IN (${projectedTypesSql()}) AND ${partitionSql(data.workers)} = ?
          ORDER BY position`,
      )
      .safeIntegers(true)
      .iterate(BigInt(data.endPosition), data.partition) as IterableIterator<EventRowOf<bigint>>;
    const { generation } = await store.createGeneration(PROJECTION_SCHEMA_VERSION, {
      bulkLoad: true,
    });
    const state = await RunnerState.load(store, generation, true, data.applicantsCachedMax);
    let batch: LedgerRecord[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const movements = await projectBatch(data, generation, state, store, stepBacks, batch);
      projected += batch.length;
      const through = Number(batch[batch.length - 1]?.position ?? 0n);
      post({ kind: 'batch', through, events: batch.length, movements });
      batch = [];
      inFlight += 1;
      while (inFlight > IN_FLIGHT_MAX) {
        await acked();
        inFlight -= 1;
      }
    };
    for (const row of rows) {
      batch.push(recordOfRow(row));
      if (batch.length >= data.batchSize) await flush();
    }
    await flush();
    return { events: projected, generation };
  } finally {
    await store.close();
    events.close();
  }
}

async function projectBatch(
  data: RebuildWorkerData,
  generation: number,
  state: RunnerState,
  store: SqliteReadStore,
  stepBacks: ReadonlyMap<number, number>,
  records: readonly LedgerRecord[],
): Promise<MovementTuples> {
  await state.prepare(records);
  const builder = new BatchBuilder(generation, START_CHECKPOINT);
  const movements: MovementTuples = [];
  for (const record of records) {
    const applicant = applicantOf(record);
    if (applicant !== undefined && applicantPartition(applicant, data.workers) !== data.partition)
      throw new PartitionMismatch(record.position, applicant);
    const position = Number(record.position);
    const watermarkMs = stepBacks.get(position) ?? instantMs(record.metadata.recordedAt);
    const step = projectApplicantEvent(state, record, watermarkMs);
    state.apply(step.changes);
    builder.add(step.changes, { position: record.position, watermarkMs });
    for (const item of step.movements)
      movements.push(
        position,
        watermarkMs,
        item.funder,
        item.month,
        item.clause,
        item.flow,
        item.amount,
      );
  }
  await store.writeRows(generation, builder.build().rows);
  state.evict();
  return movements;
}

function main(): void {
  const port = parentPort;
  const data = workerData as RebuildWorkerData | undefined;
  if (port === null || data?.kind !== 'hz-rebuild-partition') return;
  const waiters: (() => void)[] = [];
  let acks = 0;
  port.on('message', () => {
    const waiter = waiters.shift();
    if (waiter) waiter();
    else acks += 1;
  });
  const acked = (): Promise<void> => {
    if (acks > 0) {
      acks -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiters.push(resolve));
  };
  runPartition(data, (message) => port.postMessage(message), acked).then(
    ({ events, generation }) => {
      port.postMessage({ kind: 'done', events, generation } satisfies WorkerMessage);
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
