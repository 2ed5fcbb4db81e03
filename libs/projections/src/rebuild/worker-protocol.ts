/** What the parallel rebuild's coordinator and its partition workers exchange (issue 13). */

/**
 * The page cache of every connection that reads the log file in the parallel rebuild (each worker's, the
 * coordinator's ledger-time pass), KiB: the pass scans the events table once in position order, and a
 * worker walks the (stream_id, revision) index once and reads each event's row once, so a page cache only
 * holds pages that are not read again soon (the operating system's cache serves the rereads); the driver's
 * default (16 MB) was up to 16 MB of resident memory per connection (issue 13, docs/operations.md "Memory
 * of the whole-ledger jobs").
 */
export const LOG_CACHE_KIB = 1024;

/**
 * Applicants a partition worker keeps in memory. In stream order an applicant is done when its stream
 * ends, so one slice would do; a few more cost nothing. Evicting one whose stream has ended never reads it
 * back (./rebuild-worker.ts).
 */
export const STREAM_ORDER_APPLICANTS_CACHED = 16;

export interface RebuildWorkerData {
  readonly kind: 'hz-rebuild-partition';
  readonly eventFile: string;
  /** A new file the worker creates: its partition's rows (every model but the fiscal totals). */
  readonly shardFile: string;
  /** A new file the worker creates: its fiscal movements (table `rebuild_movements`, ./fiscal-fold.ts). */
  readonly movementsFile: string;
  readonly partition: number;
  readonly workers: number;
  /** Inclusive end of the log read, as a decimal string. */
  readonly endPosition: string;
  readonly batchSize: number;
  readonly applicantsCachedMax: number;
  /** [position, watermark] pairs of the events whose own recordedAt is behind the watermark. */
  readonly stepBacks: readonly (readonly [number, number])[];
}

/**
 * The fiscal fold on a thread of its own (./fiscal-fold.ts foldIntoFile): it reads the partitions'
 * movements once every partition is done and writes the bucket versions to a file of its own, which the
 * coordinator copies into the generation after the partitions' shards, copied meanwhile.
 */
export interface FiscalFoldWorkerData {
  readonly kind: 'hz-rebuild-fiscal';
  /** The partitions' movements files (read only). */
  readonly movementsFiles: readonly string[];
  /** A new file the worker creates: a generation holding the fiscal versions only. */
  readonly fiscalFile: string;
  /** Versions folded before each write. */
  readonly writeRows: number;
}

export type WorkerMessage =
  | {
      readonly kind: 'batch';
      /** Events projected and written by this batch (in stream order: progress is a count of events). */
      readonly events: number;
    }
  | {
      readonly kind: 'done';
      readonly events: number;
      /** The generation in the shard (or fiscal) file that holds the rows. */
      readonly generation: number;
      /** Fiscal movements the partition wrote to its shard (0 from the fold). */
      readonly movements: number;
    }
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly code: string | undefined;
    };
