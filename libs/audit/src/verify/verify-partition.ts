/**
 * How verify on worker threads splits the log, and what a worker and the coordinator say to each other
 * (issue 13, ./parallel-verify.ts, ./verify-worker.ts).
 */
import { availableParallelism } from 'node:os';
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
 * Streams kept in partition 0: the allocation plans, whose check keeps state across streams (a plan's
 * disbursements are judged against its decision). Every other stream (applicants, payment and recovery
 * reservations, period closes) goes to a partition by a hash of its last two characters (an applicant's
 * USCC ends in a serial digit and a check character; a reference in its serial).
 */
const PARTITION_ZERO_PREFIX = 'allocation-';

/**
 * The SQL expression of a row's partition among `?` workers (column `stream_id`, one parameter): computed
 * inside SQLite, so that a worker's cursor never fetches another partition's rows.
 */
export const VERIFY_PARTITION_SQL = `CASE WHEN substr(stream_id, 1, ${PARTITION_ZERO_PREFIX.length}) = '${PARTITION_ZERO_PREFIX}' THEN 0 ELSE (unicode(substr(stream_id, -1)) * 31 + unicode(substr(stream_id, -2, 1))) % ? END`;

/** Whether a stream goes to a partition by hash (else to partition 0), as VERIFY_PARTITION_SQL says. */
export function isHashedStream(streamId: string): boolean {
  return !streamId.startsWith(PARTITION_ZERO_PREFIX);
}

export interface VerifyWorkerData {
  readonly kind: 'hz-verify-partition';
  readonly eventFile: string;
  readonly partition: number;
  readonly workers: number;
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
  /** An allocation event outside partition 0: the partition does not hold, run on one thread. */
  readonly crossPartition: boolean;
}

export type VerifyWorkerMessage =
  | { readonly kind: 'progress'; readonly events: number }
  | { readonly kind: 'done'; readonly result: VerifyPartitionResult }
  | { readonly kind: 'error'; readonly name: string; readonly message: string };
