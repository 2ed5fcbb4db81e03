/**
 * How verify on worker threads splits the log, and what a worker and the coordinator say to each other
 * (issue 13, ./parallel-verify.ts, ./verify-worker.ts).
 *
 * The streams are cut into ranges of stream ids (StreamRanges), read in stream order: a range is one walk of
 * the `(stream_id, revision)` index between two ids, so a thread's cursor steps only over its own rows (a
 * hash of the stream id, the split before, made each of 2 cursors walk the other's index entries too: about
 * 1 µs a row, docs/benchmarks.md "Verify at the ceiling"). The threads take the ranges in order, each the
 * next one no thread has taken (one counter in shared memory): a thread that starts late (a worker loading
 * its modules) or meets costlier streams takes fewer, so no thread waits idle for another at the end.
 */
import { availableParallelism } from 'node:os';
import Database from 'better-sqlite3';
import type { OrderedFindings } from '../invariants/findings';

/** Largest worker count accepted. */
export const VERIFY_WORKERS_MAX = 16;

/** The default: the machine's cores, within 1..VERIFY_WORKERS_MAX. */
export function defaultVerifyWorkers(): number {
  return Math.max(1, Math.min(VERIFY_WORKERS_MAX, availableParallelism()));
}

export function checkVerifyWorkers(workers: number): number {
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > VERIFY_WORKERS_MAX)
    throw new RangeError(`verify workers must be 1..${VERIFY_WORKERS_MAX}: ${workers}`);
  return workers;
}

/**
 * The allocation plans (`allocation-*` streams) are one range, read by one thread: their check keeps state
 * across streams (a plan's disbursements are judged against its decision). `allocation.` is the first id
 * after every `allocation-…` one (`.` follows `-`). Both are ASCII, so JavaScript's `<` orders them against
 * any id as SQLite's BINARY collation does (UTF-16 and UTF-8 orders differ only between a surrogate and a
 * code unit above it, never against an ASCII character).
 */
const ALLOCATION_FIRST = 'allocation-';
const ALLOCATION_AFTER = 'allocation.';

/** Whether a stream is an allocation plan's (all of them in one range). */
export function isAllocationStream(streamId: string): boolean {
  return streamId.startsWith(ALLOCATION_FIRST);
}

/** Events per range aimed at: a thread's last range is at most about this much work left to the others. */
const RANGE_EVENTS = 2000;
/** At most this many ranges (a few thousand rows looked up to cut them). */
const RANGES_MAX = 1024;
/** Sampled stream ids per range. */
const SAMPLES_PER_RANGE = 4;

/**
 * The ranges of one verify: `bounds` strictly increasing in SQLite's order, range i is
 * [bounds[i - 1], bounds[i]) (unbounded below for the first, above for the last), and `taken` (an Int32Array
 * of one element over shared memory) counts the ranges taken so far by every thread.
 */
export interface StreamRanges {
  readonly bounds: readonly string[];
  readonly taken: SharedArrayBuffer;
}

/**
 * Cuts the streams of the log up to `untilPosition` into ranges of about RANGE_EVENTS events: the stream ids
 * of evenly spaced positions, sorted by SQLite, are ids at evenly spaced event counts in stream order (a
 * sample, not an exact split: the threads balance by taking ranges as they go, so a range needs only be
 * small).
 */
export function planStreamRanges(eventFile: string, untilPosition: bigint): StreamRanges {
  const db = new Database(eventFile, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    db.defaultSafeIntegers(true);
    const head =
      (db
        .prepare('SELECT max(position) FROM events WHERE position <= ?')
        .pluck()
        .get(untilPosition) as bigint | null) ?? 0n;
    const ranges = Math.min(RANGES_MAX, Math.max(1, Math.round(Number(head) / RANGE_EVENTS)));
    const samples = BigInt(Math.min(Number(head), ranges * SAMPLES_PER_RANGE));
    const sampled =
      samples < 2n
        ? []
        : (db
            .prepare<[{ first: bigint; step: bigint; head: bigint }]>(
              `WITH RECURSIVE sample(at) AS
                 (SELECT @first UNION ALL SELECT at + @step FROM sample WHERE at + @step <= @head)
               SELECT stream_id FROM sample JOIN events ON position = at ORDER BY stream_id`,
            )
            .pluck()
            .all({ first: head / samples / 2n + 1n, step: head / samples, head }) as string[]);
    return { bounds: rangeBounds(sampled, SAMPLES_PER_RANGE), taken: new SharedArrayBuffer(4) };
  } finally {
    db.close();
  }
}

/**
 * Every `every`-th of the sampled ids (sorted by SQLite, equal ones together) as a bound, each once, none
 * inside the allocation plans' range, whose first id and the id after it are bounds themselves.
 */
export function rangeBounds(sortedIds: readonly string[], every: number): string[] {
  const bounds: string[] = [];
  const add = (id: string): void => {
    if (bounds[bounds.length - 1] !== id) bounds.push(id);
  };
  let allocation = false;
  const allocationBounds = (): void => {
    if (allocation) return;
    allocation = true;
    add(ALLOCATION_FIRST);
    add(ALLOCATION_AFTER);
  };
  for (let index = every; index < sortedIds.length; index += every) {
    const id = sortedIds[index] as string;
    if (id < ALLOCATION_FIRST) add(id);
    else if (id < ALLOCATION_AFTER) allocationBounds();
    else {
      allocationBounds();
      add(id);
    }
  }
  allocationBounds();
  return bounds;
}

/** One thread's cursor over the ranges: the next range no thread has taken, or undefined when none is left. */
export class RangeClaims {
  private readonly taken: Int32Array;

  constructor(private readonly ranges: StreamRanges) {
    this.taken = new Int32Array(ranges.taken);
  }

  next(): { readonly from: string; readonly to: string | undefined } | undefined {
    const index = Atomics.add(this.taken, 0, 1);
    const bounds = this.ranges.bounds;
    if (index > bounds.length) return undefined;
    return { from: index === 0 ? '' : (bounds[index - 1] as string), to: bounds[index] };
  }
}

export interface VerifyWorkerData {
  readonly kind: 'hz-verify-partition';
  readonly eventFile: string;
  /** Which thread (0: the coordinator's): for messages only, the ranges are taken as they come. */
  readonly partition: number;
  readonly ranges: StreamRanges;
  readonly untilPosition: bigint;
  readonly oracle: boolean;
  readonly findingsMax: number;
  /** The period closes (PeriodCloseAudit.closeEntries), or null when no period is closed. */
  readonly closes: ReadonlyArray<readonly [string, bigint]> | null;
}

export interface VerifyPartitionResult {
  readonly eventCount: number;
  readonly lastPosition: bigint;
  readonly findings: OrderedFindings;
  readonly periodFindings: OrderedFindings | null;
  readonly fingerprints: Float64Array;
  readonly referenceSuspects: readonly string[];
  readonly chainSuspects: readonly string[];
  readonly registered: readonly string[];
  /** An allocation event outside the allocation plans' streams: the split does not hold, run on one thread. */
  readonly crossPartition: boolean;
}

export type VerifyWorkerMessage =
  | { readonly kind: 'progress'; readonly events: number }
  | { readonly kind: 'done'; readonly result: VerifyPartitionResult }
  | { readonly kind: 'error'; readonly name: string; readonly message: string };
