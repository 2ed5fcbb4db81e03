/**
 * One partition of verify on worker threads (issue 13, ./parallel-verify.ts): its own read-only
 * connection to the SQLite event store file and one cursor over the streams of its partition, in stream
 * order (stream id, then revision, the order of the event store's streaming read; the partition is
 * filtered inside SQLite, so other partitions' rows are never fetched), up to the coordinator's head
 * position. Each row goes through the same fold as the single-threaded pass (./stream-fold.ts); what it
 * found is posted back once, at the end, with its event count every PROGRESS_ROWS rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { RawEventRow } from '@hz/event-store';
import { PeriodCloseAudit } from '../invariants/period-close-audit';
import { policyDecisionOracle } from '../invariants/policy-oracle';
import {
  isHashedStream,
  VERIFY_PARTITION_SQL,
  type VerifyPartitionResult,
  type VerifyWorkerData,
  type VerifyWorkerMessage,
} from './verify-partition';
import { StreamFold } from './stream-fold';

/** Rows between two progress messages. */
const PROGRESS_ROWS = 5000;

/** Rows as `raw(true)` returns them, in this column order. */
type RawTuple = [bigint, string, bigint, string, string, string, string];

/** Event types whose state is kept across streams by the allocation check: partition 0 only. */
const ALLOCATION_TYPES: ReadonlySet<string> = new Set([
  'AllocationPlanDecided',
  'AllocationDisbursementRecorded',
]);

export function verifyPartition(
  data: VerifyWorkerData,
  progress: (events: number) => void,
): VerifyPartitionResult {
  const periodAudit =
    data.closes === null ? null : PeriodCloseAudit.fromCloses(data.closes, data.findingsMax);
  const fold = new StreamFold(
    data.findingsMax,
    data.oracle ? policyDecisionOracle() : undefined,
    periodAudit,
  );
  const db = new Database(data.eventFile, { readonly: true, fileMustExist: true, timeout: 10_000 });
  let eventCount = 0;
  let lastPosition = 0n;
  let crossPartition = false;
  try {
    db.defaultSafeIntegers(true);
    // Positions start at 1, as the streaming read reads them (position > 0). `+position` keeps SQLite
    // from reading by position and sorting the partition (a temporary B-tree as large as the log): it
    // walks the (stream_id, revision) index instead, in order, and filters as it goes.
    const rows = db
      .prepare<[bigint, number, number]>(
        `SELECT position, stream_id, revision, event_id, type, data, metadata FROM events
          WHERE +position > 0 AND +position <= ? AND ${VERIFY_PARTITION_SQL} = ?
          ORDER BY stream_id, revision`,
      )
      .raw(true)
      .iterate(data.untilPosition, data.workers, data.partition) as IterableIterator<RawTuple>;
    for (const tuple of rows) {
      const row: RawEventRow = {
        position: tuple[0],
        streamId: tuple[1],
        revision: tuple[2],
        id: tuple[3],
        type: tuple[4],
        data: tuple[5],
        metadata: tuple[6],
      };
      if (ALLOCATION_TYPES.has(row.type) && isHashedStream(row.streamId)) crossPartition = true;
      fold.visit(row);
      eventCount += 1;
      if (row.position > lastPosition) lastPosition = row.position;
      if (eventCount % PROGRESS_ROWS === 0) progress(eventCount);
    }
  } finally {
    db.close();
  }
  fold.finish();
  return {
    eventCount,
    lastPosition,
    findings: fold.sink.snapshot(),
    periodFindings: periodAudit?.sink.snapshot() ?? null,
    fingerprints: fold.references.fingerprints(),
    referenceSuspects: [...fold.references.suspects],
    chainSuspects: fold.chains.suspectStreams(),
    registered: [...fold.checker.registeredApplicants()],
    crossPartition,
  };
}

function main(): void {
  const port = parentPort;
  const data = workerData as VerifyWorkerData | undefined;
  if (port === null || data?.kind !== 'hz-verify-partition') return;
  try {
    const result = verifyPartition(data, (events) =>
      port.postMessage({ kind: 'progress', events } satisfies VerifyWorkerMessage),
    );
    port.postMessage({ kind: 'done', result } satisfies VerifyWorkerMessage, [
      result.fingerprints.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    port.postMessage({
      kind: 'error',
      name: failure.name,
      message: failure.message,
    } satisfies VerifyWorkerMessage);
  }
  port.close();
}

main();
