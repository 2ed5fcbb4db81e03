/** What the parallel rebuild's coordinator and its partition workers exchange (issue 13). */

/**
 * The page cache of every connection that reads the log file in the parallel rebuild (each worker's, the
 * coordinator's ledger-time pass), KiB: each scans the events table once in position order, so a page is
 * never read twice; the driver's default (16 MB) was up to 16 MB of resident memory per connection
 * (issue 13, docs/operations.md "Memory of the whole-ledger jobs").
 */
export const LOG_CACHE_KIB = 1024;

export interface RebuildWorkerData {
  readonly kind: 'hz-rebuild-partition';
  readonly eventFile: string;
  /** A new file the worker creates: its partition's rows (every model but the fiscal totals). */
  readonly shardFile: string;
  readonly partition: number;
  readonly workers: number;
  /** Inclusive end of the log read, as a decimal string. */
  readonly endPosition: string;
  readonly batchSize: number;
  readonly applicantsCachedMax: number;
  /** [position, watermark] pairs of the events whose own recordedAt is behind the watermark. */
  readonly stepBacks: readonly (readonly [number, number])[];
}

/** Flat fiscal movements: position, watermark, funder, month, clause, flow, amount, repeated. */
export type MovementTuples = (string | number)[];
export const MOVEMENT_FIELDS = 7;

export type WorkerMessage =
  | {
      readonly kind: 'batch';
      /** Every event of the partition up to this position is projected and written. */
      readonly through: number;
      readonly events: number;
      readonly movements: MovementTuples;
    }
  | {
      readonly kind: 'done';
      readonly events: number;
      /** The generation in the shard file that holds the partition's rows. */
      readonly generation: number;
    }
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly code: string | undefined;
    };
