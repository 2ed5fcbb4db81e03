/**
 * One partition of verify on threads (issue 13, ./parallel-verify.ts): its own read-only connection to the
 * SQLite event store file and one cursor over the streams of its partition, in stream order (stream id,
 * then revision, the order of the event store's streaming read; the partition is filtered inside SQLite,
 * so other partitions' rows are never fetched), up to the coordinator's head position. Each row goes
 * through the same fold as the single-threaded pass (./stream-fold.ts).
 *
 * It runs in steps of at most `rows` rows, so that the same pass serves a worker thread (./verify-worker.ts,
 * which posts its progress between steps) and the coordinator's own thread, which takes partition 0
 * itself instead of starting one more worker (issue 13, docs/benchmarks.md "Verify and seal, CPU per
 * event": a worker's start, an isolate compiling and loading its modules, cost about half a CPU-second and
 * ~90 MB of RSS while the coordinator sat idle waiting for the workers) and waits a turn of the event loop
 * between steps, as the single-threaded scan does between batches (../log/scan-log.ts).
 */
import Database from 'better-sqlite3';
import type { RawEventRow } from '@hz/event-store/rows';
import type { DecisionOracle } from '../invariants/decision-oracle';
import { PeriodCloseAudit } from '../invariants/period-close-audit';
import {
  isHashedStream,
  VERIFY_PARTITION_SQL,
  type VerifyPartitionResult,
  type VerifyWorkerData,
} from './verify-partition';
import { StreamFold } from './stream-fold';

/** Rows as `raw(true)` returns them, in this column order. */
type RawTuple = [bigint, string, bigint, string, string, string, string];

/** Event types whose state is kept across streams by the allocation check: partition 0 only. */
const ALLOCATION_TYPES: ReadonlySet<string> = new Set([
  'AllocationPlanDecided',
  'AllocationDisbursementRecorded',
]);

export type PartitionPassData = Omit<VerifyWorkerData, 'kind' | 'oracle'>;

export class PartitionPass {
  private readonly periodAudit: PeriodCloseAudit | null;
  private readonly fold: StreamFold;
  private readonly db: Database.Database;
  private readonly rows: IterableIterator<RawTuple>;
  private eventCount = 0;
  private lastPosition = 0n;
  private crossPartition = false;
  private open = true;

  constructor(data: PartitionPassData, oracle: DecisionOracle | undefined) {
    this.periodAudit =
      data.closes === null ? null : PeriodCloseAudit.fromCloses(data.closes, data.findingsMax);
    this.fold = new StreamFold(data.findingsMax, oracle, this.periodAudit);
    this.db = new Database(data.eventFile, {
      readonly: true,
      fileMustExist: true,
      timeout: 10_000,
    });
    try {
      this.db.defaultSafeIntegers(true);
      // Positions start at 1, as the streaming read reads them (position > 0). `+position` keeps SQLite
      // from reading by position and sorting the partition (a temporary B-tree as large as the log): it
      // walks the (stream_id, revision) index instead, in order, and filters as it goes.
      this.rows = this.db
        .prepare<[bigint, number, number]>(
          `SELECT position, stream_id, revision, event_id, type, data, metadata FROM events
            WHERE +position > 0 AND +position <= ? AND ${VERIFY_PARTITION_SQL} = ?
            ORDER BY stream_id, revision`,
        )
        .raw(true)
        .iterate(data.untilPosition, data.workers, data.partition) as IterableIterator<RawTuple>;
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  get events(): number {
    return this.eventCount;
  }

  /** Up to `rows` more rows; false once the partition is read (the connection is then closed). */
  step(rows: number): boolean {
    if (!this.open) return false;
    try {
      for (let left = rows; left > 0; left -= 1) {
        const next = this.rows.next();
        if (next.done === true) {
          this.close();
          return false;
        }
        const tuple = next.value;
        const row: RawEventRow = {
          position: tuple[0],
          streamId: tuple[1],
          revision: tuple[2],
          id: tuple[3],
          type: tuple[4],
          data: tuple[5],
          metadata: tuple[6],
        };
        if (ALLOCATION_TYPES.has(row.type) && isHashedStream(row.streamId))
          this.crossPartition = true;
        this.fold.visit(row);
        this.eventCount += 1;
        if (row.position > this.lastPosition) this.lastPosition = row.position;
      }
      return true;
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Stops early (an aborted or failed verify): the cursor and the connection are released. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.rows.return?.();
    this.db.close();
  }

  /** What the partition found, once `step` returned false. */
  result(): VerifyPartitionResult {
    if (this.open) throw new Error('the partition is not read to its end');
    const fold = this.fold;
    fold.finish();
    return {
      eventCount: this.eventCount,
      lastPosition: this.lastPosition,
      findings: fold.sink.snapshot(),
      periodFindings: this.periodAudit?.sink.snapshot() ?? null,
      fingerprints: fold.references.fingerprints(),
      referenceSuspects: [...fold.references.suspects],
      chainSuspects: fold.chains.suspectStreams(),
      registered: [...fold.checker.registeredApplicants()],
      crossPartition: this.crossPartition,
    };
  }
}
