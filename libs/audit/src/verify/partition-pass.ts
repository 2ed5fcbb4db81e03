/**
 * One thread's share of verify on threads (issue 13, ./parallel-verify.ts): its own read-only connection to
 * the SQLite event store file and, one after the other, the ranges of stream ids it takes (./verify-
 * partition.ts: each the next one no thread has taken), each read in stream order (stream id, then
 * revision, the order of the event store's streaming read) by one walk of the `(stream_id, revision)`
 * index between its bounds, up to the coordinator's head position. Each row goes through the same fold as
 * the single-threaded pass (./stream-fold.ts); a thread takes ranges in increasing order, so its fold sees
 * its streams in stream order, each whole.
 *
 * It runs in steps of at most `rows` rows, so that the same pass serves a worker thread (./verify-worker.ts,
 * which posts its progress between steps) and the coordinator's own thread, which reads ranges itself
 * instead of starting one more worker (issue 13, docs/benchmarks.md "Verify and seal, CPU per
 * event": a worker's start, an isolate compiling and loading its modules, cost about half a CPU-second and
 * ~90 MB of RSS while the coordinator sat idle waiting for the workers) and waits a turn of the event loop
 * between steps, as the single-threaded scan does between batches (../log/scan-log.ts).
 */
import Database from 'better-sqlite3';
import type { RawEventRow } from '@hz/event-store/rows';
import type { DecisionOracle } from '../invariants/decision-oracle';
import { PeriodCloseAudit } from '../invariants/period-close-audit';
import {
  isAllocationStream,
  RangeClaims,
  type VerifyPartitionResult,
  type VerifyWorkerData,
} from './verify-partition';
import { StreamFold } from './stream-fold';

/** Rows as `raw(true)` returns them, in this column order. */
type RawTuple = [bigint, string, bigint, string, string, string, string];

/** Event types whose state is kept across streams by the allocation check: its streams' range only. */
const ALLOCATION_TYPES: ReadonlySet<string> = new Set([
  'AllocationPlanDecided',
  'AllocationDisbursementRecorded',
]);

/**
 * Positions start at 1, as the streaming read reads them (position > 0). `+position` keeps SQLite from
 * reading by position and sorting the range (a temporary B-tree): it walks the (stream_id, revision) index
 * between the bounds instead, in order, and filters as it goes. The first range starts at '' (every TEXT
 * id, the column is STRICT TEXT NOT NULL, is >= ''); the last has no upper bound.
 */
const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata';
const rangeSql = (bounded: boolean): string => `SELECT ${COLUMNS} FROM events
  WHERE stream_id >= ?${bounded ? ' AND stream_id < ?' : ''} AND +position > 0 AND +position <= ?
  ORDER BY stream_id, revision`;

export type PartitionPassData = Omit<VerifyWorkerData, 'kind' | 'oracle'>;

export class PartitionPass {
  private readonly periodAudit: PeriodCloseAudit | null;
  private readonly fold: StreamFold;
  private readonly db: Database.Database;
  private readonly range: Database.Statement<[string, string, bigint]>;
  private readonly lastRange: Database.Statement<[string, bigint]>;
  private readonly claims: RangeClaims;
  private readonly untilPosition: bigint;
  private rows: IterableIterator<RawTuple> | undefined;
  private eventCount = 0;
  private lastPosition = 0n;
  private crossPartition = false;
  private open = true;

  constructor(data: PartitionPassData, oracle: DecisionOracle | undefined) {
    this.periodAudit =
      data.closes === null ? null : PeriodCloseAudit.fromCloses(data.closes, data.findingsMax);
    this.fold = new StreamFold(data.findingsMax, oracle, this.periodAudit);
    this.claims = new RangeClaims(data.ranges);
    this.untilPosition = data.untilPosition;
    this.db = new Database(data.eventFile, {
      readonly: true,
      fileMustExist: true,
      timeout: 10_000,
    });
    try {
      this.db.defaultSafeIntegers(true);
      // One read transaction for every range: the thread reads one snapshot of the file, as one cursor did.
      this.db.exec('BEGIN');
      this.range = this.db.prepare<[string, string, bigint]>(rangeSql(true)).raw(true);
      this.lastRange = this.db.prepare<[string, bigint]>(rangeSql(false)).raw(true);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  get events(): number {
    return this.eventCount;
  }

  /** Up to `rows` more rows; false once no range is left (the connection is then closed). */
  step(rows: number): boolean {
    if (!this.open) return false;
    try {
      let left = rows;
      while (left > 0) {
        const next = this.rows?.next();
        if (next === undefined || next.done === true) {
          this.rows = this.nextRange();
          if (this.rows === undefined) {
            this.close();
            return false;
          }
          continue;
        }
        left -= 1;
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
        if (ALLOCATION_TYPES.has(row.type) && !isAllocationStream(row.streamId))
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

  /** The rows of the next range no thread has taken, or undefined when none is left. */
  private nextRange(): IterableIterator<RawTuple> | undefined {
    const range = this.claims.next();
    if (range === undefined) return undefined;
    return (
      range.to === undefined
        ? this.lastRange.iterate(range.from, this.untilPosition)
        : this.range.iterate(range.from, range.to, this.untilPosition)
    ) as IterableIterator<RawTuple>;
  }

  /** Stops early (an aborted or failed verify): the cursor and the connection are released. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.rows?.return?.();
    this.rows = undefined;
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
