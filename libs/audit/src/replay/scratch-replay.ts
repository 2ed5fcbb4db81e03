/**
 * `replay`: rebuilds every read model from the log into a scratch store with the projections' own runner
 * and pure evolve functions (nothing is re-implemented here), optionally stopped at a position or ledger
 * time. The scratch store is a throwaway SQLite file; the live read store is never touched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '@hz/event-store';
import {
  PROJECTION_SCHEMA_VERSION,
  ProjectionRunner,
  rebuildInParallel,
  SqliteReadStore,
  type ReadStore,
} from '@hz/projections';
import { boundedEventStore, type LogBound } from './bounded-log';

export interface ScratchReplay {
  readonly readStore: ReadStore;
  readonly position: bigint;
  readonly watermarkMs: number;
  readonly events: number;
  readonly durationMs: number;
  /** Closes the scratch store and deletes its file. */
  dispose(): Promise<void>;
}

export interface ScratchReplayOptions extends LogBound {
  /**
   * Events per runner transaction (default 1000). Not larger: a batch's rows and records are garbage after
   * the commit, and 5000 let the heap grow to ~390 MB peak RSS at 50k events for the same CPU time
   * (measured with `npm run bench -- replay`, docs/benchmarks.md).
   */
  readonly batchSize?: number;
  /** The sequential runner's progress: the last position read and the events up to it. */
  readonly onProgress?: (position: bigint, events: number) => void;
  /**
   * The parallel rebuild's progress (it reads stream by stream, so there is no position every worker has
   * passed): events read so far, of `total` events within the bound (reported as `total` at the end).
   */
  readonly onEventsDone?: (events: number, total: number) => void;
  /** Aborts between runner batches: the replay rejects with `signal.reason` and deletes its scratch file. */
  readonly signal?: AbortSignal;
  /**
   * Every event the replay reads, once, in position order, within the bound: other folds (the export's
   * facts and seal check) ride the replay's reads instead of reading the log again (issue 13).
   */
  readonly onEvent?: (event: RecordedEvent) => void;
  /**
   * Worker threads (default 1 here; `ledger replay` passes the cores, at most 2: apps/ledger-cli
   * cli-frame.ts replayWorkersDefault, docs/operations.md "Memory of the whole-ledger jobs"). When the log
   * is a SQLite file and no `onEvent` taps the reads, the replay is the projections' parallel rebuild
   * (libs/projections/src/rebuild, issue 13), its workers reading their partitions stream by stream, so
   * each keeps a handful of applicants in memory; with 1, one partition reads the whole log that way on
   * this thread. Otherwise the sequential runner, in position order, on this thread.
   */
  readonly workers?: number;
  /**
   * Applicants whose rows the sequential runner keeps between batches (default: the runner's, 50,000,
   * which is every applicant of a 1M-event demo). A job that must not grow with the ledger (the export,
   * issue 13) passes a small number: an evicted applicant's rows are read back from the scratch store.
   */
  readonly applicantsCachedMax?: number;
}

/** The scratch read store's SQLite page cache, KiB (issue 13). */
const SCRATCH_CACHE_KIB = 16_384;

export async function replayIntoScratch(
  eventStore: EventStore,
  options: ScratchReplayOptions = {},
): Promise<ScratchReplay> {
  const started = Date.now();
  const directory = mkdtempSync(join(tmpdir(), 'ledger-replay-'));
  const workers = options.workers ?? 1;
  const eventFile =
    eventStore instanceof SqliteEventStore &&
    eventStore.file !== ':memory:' &&
    eventStore.file !== ''
      ? eventStore.file
      : undefined;
  const parallel = eventFile !== undefined && options.onEvent === undefined;
  // synchronous=OFF, no journal: a scratch store that a crash loses is simply rebuilt. The parallel
  // replay too: its workers write shard files of their own, and only this connection writes the scratch
  // file (the fiscal versions, then the shards copied in; libs/projections/src/rebuild/parallel-rebuild.ts),
  // so WAL only wrote every page twice (issue 13, docs/benchmarks.md "Replay and rebuild, CPU per event").
  // Its page cache is 16 MiB, not the live store's 64 MiB: a whole-ledger job's memory bound counts it
  // (docs/operations.md "Memory of the whole-ledger jobs"); the parallel rebuild's shards use the same.
  const readStore = new SqliteReadStore(join(directory, 'scratch-read-models.db'), {
    synchronous: 'OFF',
    journalMode: 'OFF',
    cacheSizeKib: SCRATCH_CACHE_KIB,
    // Only this connection ever opens the scratch file: it keeps the lock instead of taking it around
    // every statement (docs/benchmarks.md "Replay's applicant loads and the file lock").
    lockingMode: 'EXCLUSIVE',
  });
  const dispose = async (): Promise<void> => {
    await readStore.close();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    if (parallel && eventFile !== undefined) {
      const built = await rebuildInParallel({
        eventFile,
        readStore,
        workers,
        untilPosition: options.untilPosition,
        asOfMs: options.asOfMs,
        signal: options.signal,
        onProgress: options.onEventsDone,
      });
      await readStore.activate(built.generation, built.checkpoint.position);
      return {
        readStore,
        position: built.checkpoint.position,
        watermarkMs: built.checkpoint.watermarkMs,
        events: built.events,
        durationMs: Date.now() - started,
        dispose,
      };
    }
    const generation = await readStore.createGeneration(PROJECTION_SCHEMA_VERSION, {
      bulkLoad: true,
    });
    let pages = 0;
    let tapped = 0n;
    options.signal?.throwIfAborted();
    const view = boundedEventStore(eventStore, options, (lastPosition, count, page) => {
      options.signal?.throwIfAborted();
      if (options.onEvent)
        for (const event of page)
          if (event.position > tapped) {
            options.onEvent(event);
            tapped = event.position;
          }
      pages += count;
      options.onProgress?.(lastPosition, pages);
    });
    const runner = new ProjectionRunner(view, readStore, generation.generation, {
      batchSize: options.batchSize ?? 1000,
      applicantsCachedMax: options.applicantsCachedMax,
    });
    const checkpoint = await runner.catchUp();
    await readStore.activate(generation.generation, checkpoint.position);
    return {
      readStore,
      position: checkpoint.position,
      watermarkMs: checkpoint.watermarkMs,
      events: runner.stats.events,
      durationMs: Date.now() - started,
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
