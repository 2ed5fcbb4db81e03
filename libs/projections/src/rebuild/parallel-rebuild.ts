/**
 * The parallel rebuild (issue 13; libs/projections/README.md "Parallel rebuild"): a new generation built
 * from position 0 by worker threads, one per partition of the applicant streams (./log-partition.ts), on a
 * SQLite event store file and a SQLite read store. Each worker reads its partition stream by stream
 * (./rebuild-worker.ts), so an applicant is evolved whole and then dropped. What stays on the coordinator's
 * thread, and why:
 * - the fiscal totals (./fiscal-fold.ts): a bucket sums every applicant's movements, version by version in
 *   position order, so once the workers are done the movements they stored in their shards are merged by
 *   position and folded once (with worker threads, on a thread of its own that writes the versions to a
 *   file of its own, while the coordinator copies the partitions' shards; that file is copied last);
 * - the ledger-time pass (./ledger-time-pass.ts): an event's watermark depends on every event before it,
 *   of any stream; it runs beside the workers and, in the rare log whose clock stepped back, the build is
 *   run again with the watermarks it found;
 * - the copy of the partitions' shards into the generation (INSERT … SELECT inside SQLite, one writer per
 *   file; a partition's shard is copied as soon as that partition is done, beside those still running)
 *   and the final checkpoint, set by one commit once every row is written (a generation being built is
 *   read by nobody, docs/architecture.md §5, so its rows may land in any order before that).
 * The read models are byte for byte those of the sequential runner (runner/properties.int.spec.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerSource } from '@hz/kernel';
import Database from 'better-sqlite3';
import { emptyChanges } from '../model/registry';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import type { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { START_CHECKPOINT, type Checkpoint } from '../store/read-store';
import { foldShardMovements } from './fiscal-fold';
import { runPartition } from './rebuild-worker';
import { ledgerTimePass, type LedgerTimes } from './ledger-time-pass';
import { REBUILD_WORKERS_MAX } from './log-partition';
import {
  LOG_CACHE_KIB,
  STREAM_ORDER_APPLICANTS_CACHED,
  type FiscalFoldWorkerData,
  type RebuildWorkerData,
  type WorkerMessage,
} from './worker-protocol';

export interface ParallelRebuildOptions {
  /** The SQLite event store file (read-only here). */
  readonly eventFile: string;
  /** The SQLite read store the generation is built in (the workers' shards are files beside it). */
  readonly readStore: SqliteReadStore;
  /**
   * Worker threads, 1..16 (1: one partition, the whole log in stream order on the caller's own thread,
   * no worker; the sequential runner in position order is ProjectionRunner.catchUp).
   */
  readonly workers: number;
  readonly untilPosition?: bigint;
  /** Ledger time: the log ends before the first event whose watermark is later (as BoundedLog cuts it). */
  readonly asOfMs?: number;
  /** Events per worker transaction (default 1000). */
  readonly batchSize?: number;
  /**
   * Applicants each worker keeps in memory (at most worker-protocol.ts STREAM_ORDER_APPLICANTS_CACHED,
   * which stream order needs; a smaller number only evicts applicants whose stream has ended).
   */
  readonly applicantsCachedMax?: number;
  readonly signal?: AbortSignal;
  /**
   * Fiscal movements from which, with worker threads, the fold runs on a thread of its own beside the
   * shards' copies (default FOLD_THREAD_MOVEMENTS_MIN; the specs pass 0 to take that path on a small log).
   */
  readonly foldThreadMovementsMin?: number;
  /**
   * Events read by the workers so far, of `total` (every event up to the end). The workers read only the
   * types some model reads, so the count rises to the projected events as they go, and once they are all
   * done it is reported as `total`. They read in stream order: there is no position every partition has
   * passed.
   */
  readonly onProgress?: (events: number, total: number) => void;
}

export interface ParallelRebuild {
  /** The generation built (status 'building', bulk-loaded: `activate` adds its deferred indexes). */
  readonly generation: number;
  readonly checkpoint: Checkpoint;
  /** Events read (every type, projected or not). */
  readonly events: number;
}

/** The default worker count: the machine's cores, within 1..16. */
export function defaultRebuildWorkers(): number {
  return Math.max(1, Math.min(REBUILD_WORKERS_MAX, availableParallelism()));
}

/**
 * Old-generation heap of a partition worker (its applicant cache and one batch use a fraction of it).
 * Only when the process runs without `--max-old-space-size`: V8 lets that flag override a worker's
 * `resourceLimits` (node 20: a 48 MB limit under the CLI jobs' `--max-old-space-size=128` gives the worker
 * 128 MB + its young generation), so under the ledger CLI every partition worker has the job's cap
 * (docs/operations.md "Memory of the whole-ledger jobs").
 */
const WORKER_HEAP_MB = 128;

/** Fiscal versions the coordinator folds before it writes them. */
const FISCAL_WRITE_ROWS = 5000;

/**
 * Fiscal movements from which the fold runs on a thread of its own (beside the shards' copies) rather than
 * on the coordinator after them: a thread first loads its modules (a few tenths of a CPU-second), more
 * than a small ledger's fold and copies take together.
 */
const FOLD_THREAD_MOVEMENTS_MIN = 200_000;

export async function rebuildInParallel(options: ParallelRebuildOptions): Promise<ParallelRebuild> {
  if (
    !Number.isSafeInteger(options.workers) ||
    options.workers < 1 ||
    options.workers > REBUILD_WORKERS_MAX
  )
    throw new RangeError(`a parallel rebuild needs 1..${REBUILD_WORKERS_MAX} workers`);
  const log = new Database(options.eventFile, { readonly: true, fileMustExist: true });
  log.pragma(`cache_size = -${LOG_CACHE_KIB}`);
  try {
    const head = BigInt(
      (log.prepare('SELECT max(position) FROM events').pluck().safeIntegers(true).get() as
        bigint | null) ?? 0n,
    );
    const until = options.untilPosition;
    let end = until !== undefined && until < head ? until : head;
    let known: LedgerTimes | undefined;
    if (options.asOfMs !== undefined) {
      known = await ledgerTimePass(log, end, options.asOfMs, options.signal);
      end = known.lastPosition;
    }
    const total =
      known?.events ??
      Number(log.prepare('SELECT count(*) FROM events WHERE position <= ?').pluck().get(end));
    for (;;) {
      const { generation } = await options.readStore.createGeneration(PROJECTION_SCHEMA_VERSION, {
        bulkLoad: true,
      });
      // Either half failing (the pass finds an unknown type, a worker a broken event) stops the other.
      const stop = new AbortController();
      const forward = (): void => stop.abort(options.signal?.reason);
      options.signal?.addEventListener('abort', forward, { once: true });
      if (options.signal?.aborted) forward();
      const stepBacks = known?.stepBacks ?? new Map<number, number>();
      const partitions =
        end === 0n
          ? Promise.resolve()
          : buildPartitions({ ...options, signal: stop.signal }, generation, end, total, stepBacks);
      try {
        const [times] = await Promise.all([
          known === undefined ? ledgerTimePass(log, end, undefined, stop.signal) : known,
          partitions,
        ]);
        if (known === undefined && times.stepBacks.size > 0) {
          // The clock stepped back somewhere: the workers used the events' own times. Build again.
          known = times;
          await options.readStore.dropGeneration(generation);
          continue;
        }
        const checkpoint: Checkpoint = {
          position: times.lastPosition,
          watermarkMs: times.watermarkMs,
        };
        if (checkpoint.position > 0n)
          await options.readStore.commit({
            generation,
            from: START_CHECKPOINT,
            to: checkpoint,
            rows: emptyChanges(),
          });
        return { generation, checkpoint, events: times.events };
      } catch (error) {
        stop.abort(error);
        await partitions.catch(() => undefined);
        await options.readStore.dropGeneration(generation).catch(() => undefined);
        throw error;
      } finally {
        options.signal?.removeEventListener('abort', forward);
      }
    }
  } finally {
    log.close();
  }
}

async function buildPartitions(
  options: ParallelRebuildOptions,
  generation: number,
  end: bigint,
  total: number,
  stepBacks: ReadonlyMap<number, number>,
): Promise<void> {
  const store = options.readStore;
  const directory = mkdtempSync(join(shardDirectoryOf(store), 'rebuild-shards-'));
  // Stops the fiscal fold's thread when a copy fails, as the caller's signal does on any other failure.
  const local = new AbortController();
  const forward = (): void => local.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forward, { once: true });
  if (options.signal?.aborted) forward();
  // The coordinator is the generation's only writer. With worker threads, it copies each partition's
  // shard once that partition is done (beside the partitions still running), while the fiscal fold runs
  // on a thread of its own once they are all done, and copies the fold's file last.
  let copies: Promise<void> = Promise.resolve();
  const copy = (shard: Shard): void => {
    copies = copies.then(async () => {
      // After the other callbacks due now: when the last partition is done, the fold's thread starts
      // before its shard's copy holds this thread.
      await new Promise((resolve) => setImmediate(resolve));
      local.signal.throwIfAborted();
      await store.importGeneration(generation, shard.file, shard.generation);
    });
    // Awaited below; until then a failed copy is not an unhandled rejection.
    copies.catch(() => undefined);
  };
  let fiscal: Promise<Shard> | undefined;
  try {
    const shards = await runPartitions(
      { ...options, signal: local.signal },
      total,
      end,
      stepBacks,
      directory,
      options.workers > 1 ? copy : undefined,
    );
    // The events of the types no model reads were never fetched: every event is read now.
    options.onProgress?.(total, total);
    const movements = shards.reduce((sum, shard) => sum + shard.movements, 0);
    const movementsFiles = shards.flatMap((shard) =>
      shard.movementsFile === undefined ? [] : [shard.movementsFile],
    );
    if (
      options.workers > 1 &&
      movements >= (options.foldThreadMovementsMin ?? FOLD_THREAD_MOVEMENTS_MIN)
    ) {
      fiscal = foldOnThread(movementsFiles, directory, local.signal);
      fiscal.catch(() => undefined);
      await copies;
      copy(await fiscal);
      await copies;
      return;
    }
    // On this thread: the fiscal versions into the generation, then any shard not copied yet.
    await copies;
    await foldShardMovements(
      movementsFiles,
      (versions) => store.writeRows(generation, { ...emptyChanges(), fiscalVersions: versions }),
      FISCAL_WRITE_ROWS,
      local.signal,
    );
    if (options.workers === 1) for (const shard of shards) copy(shard);
    await copies;
  } catch (error) {
    local.abort(error);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', forward);
    await copies.catch(() => undefined);
    await fiscal?.catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The fiscal fold (./fiscal-fold.ts foldIntoFile) on a worker thread: resolves with the file and the
 * generation holding the fiscal versions, or rejects (the thread stopped) on an abort.
 */
function foldOnThread(
  movementsFiles: readonly string[],
  directory: string,
  signal: AbortSignal,
): Promise<Shard> {
  const data: FiscalFoldWorkerData = {
    kind: 'hz-rebuild-fiscal',
    movementsFiles,
    fiscalFile: join(directory, 'fiscal.db'),
    writeRows: FISCAL_WRITE_ROWS,
  };
  return new Promise<Shard>((resolvePromise, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const worker = spawnRebuildWorker(data);
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      // The caller deletes the directory once the thread has stopped writing in it.
      void worker.terminate().then(() => reject(error));
    };
    const onAbort = (): void => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      if (message.kind === 'error') return fail(errorOf(message));
      if (message.kind !== 'done') return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolvePromise({
        file: data.fiscalFile,
        movementsFile: undefined,
        generation: message.generation,
        movements: 0,
      });
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`rebuild fiscal fold exited with code ${code}`)));
  });
}

function errorOf(message: Extract<WorkerMessage, { kind: 'error' }>): Error {
  return Object.assign(new Error(message.message), { name: message.name, code: message.code });
}

/** Shards go beside the read store's file (the same disk), or to the temporary directory for `:memory:`. */
function shardDirectoryOf(store: SqliteReadStore): string {
  const file = store.connection.name;
  return store.connection.memory || file === '' ? tmpdir() : dirname(file);
}

interface Shard {
  readonly file: string;
  /** The partition's fiscal movements (none for the fold's own file). */
  readonly movementsFile: string | undefined;
  readonly generation: number;
  /** Fiscal movements in the shard. */
  readonly movements: number;
}

function runPartitions(
  options: ParallelRebuildOptions,
  total: number,
  end: bigint,
  stepBacks: ReadonlyMap<number, number>,
  directory: string,
  onShard?: (shard: Shard) => void,
): Promise<Shard[]> {
  const shards: (Shard | undefined)[] = Array.from({ length: options.workers }, () => undefined);
  const workers: Worker[] = [];
  let finished = 0;
  let projected = 0;
  const dataOf = (partition: number): RebuildWorkerData => ({
    kind: 'hz-rebuild-partition',
    eventFile: options.eventFile,
    shardFile: join(directory, `shard-${partition}.db`),
    movementsFile: join(directory, `movements-${partition}.db`),
    partition,
    workers: options.workers,
    endPosition: end.toString(),
    batchSize: options.batchSize ?? 1000,
    applicantsCachedMax: options.applicantsCachedMax ?? STREAM_ORDER_APPLICANTS_CACHED,
    stepBacks: [...stepBacks],
  });
  if (options.workers === 1) {
    // One partition runs on this thread: a worker thread would only add an isolate (its heap, its
    // modules loaded again) beside a coordinator that has nothing to do meanwhile.
    const data = dataOf(0);
    const signal = options.signal ?? new AbortController().signal;
    return runPartition(
      data,
      (message) => {
        if (message.kind !== 'batch') return;
        projected += message.events;
        options.onProgress?.(projected, total);
      },
      signal,
    ).then(({ generation, movements }) => [
      { file: data.shardFile, movementsFile: data.movementsFile, generation, movements },
    ]);
  }
  return new Promise<Shard[]>((resolvePromise, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      // The shards are deleted once every worker has stopped writing them.
      void Promise.all(workers.map((worker) => worker.terminate())).then(() => reject(error));
    };
    const onAbort = (): void => fail(options.signal?.reason);
    if (options.signal?.aborted) return fail(options.signal.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    for (let partition = 0; partition < options.workers; partition += 1) {
      const data = dataOf(partition);
      const worker = spawnRebuildWorker(data);
      workers.push(worker);
      let done = false;
      worker.on('message', (message: WorkerMessage) => {
        if (settled) return;
        try {
          if (message.kind === 'error') return fail(errorOf(message));
          if (message.kind === 'done') {
            done = true;
            const shard = {
              file: data.shardFile,
              movementsFile: data.movementsFile,
              generation: message.generation,
              movements: message.movements,
            };
            shards[partition] = shard;
            onShard?.(shard);
            if ((finished += 1) === options.workers) {
              settled = true;
              options.signal?.removeEventListener('abort', onAbort);
              resolvePromise(shards.filter((shard): shard is Shard => shard !== undefined));
            }
            return;
          }
          projected += message.events;
          options.onProgress?.(projected, total);
        } catch (error) {
          fail(error);
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!done) fail(new Error(`rebuild partition ${partition} exited with code ${code}`));
      });
    }
  });
}

/**
 * The worker runs the TypeScript sources like the rest of the ledger, or the compiled file next to this
 * one. Not through @swc-node/register: it loads the TypeScript compiler, about a second of a core and
 * tens of MB per thread; the worker compiles its modules with @swc/core directly, with the path aliases of
 * tsconfig.base.json (the options @swc-node/register derives from it).
 */
function spawnRebuildWorker(data: RebuildWorkerData | FiscalFoldWorkerData): Worker {
  const file = join(__dirname, `rebuild-worker${extname(__filename)}`);
  return new Worker(workerSource(file), {
    eval: true,
    workerData: data,
    // Not the parent's `-r @swc-node/register`.
    execArgv: [],
    // A partition's live data is its applicant cache and one batch: a small old generation makes V8
    // collect instead of growing the heap, so memory stays flat however long the log (issue 13).
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
}
