/**
 * One bounded pass over the log through the event store's streaming read (readAllRaw, issue 13: one cursor,
 * batch by batch, the stored texts; adapters without it are paged through readAll), so every audit works on
 * every adapter and holds at most one batch of events in memory. `scanRows` hands over the stored rows (a
 * job parses only what it reads, ./raw-events.ts); `scanLog` parsed events, in position order.
 *
 * Between batches the scan waits one turn of the event loop, so that a job running inside the service
 * (better-sqlite3 answers without ever leaving the loop) does not hold every other request until it ends.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  hasRawReads,
  readAllPages,
  readAllRawOf,
  type EventStore,
  type RawEventRow,
  type RawLogReader,
  type RawReadOrder,
  type RecordedEvent,
} from '@hz/event-store';
import { eventOfRow } from './raw-events';

/** Events per batch: large enough to amortise a turn of the loop, small enough to stay a few MB. */
export const SCAN_PAGE_SIZE = 500;

export interface ScanProgress {
  readonly position: bigint;
  readonly untilPosition: bigint;
  readonly eventCount: number;
  /** Events done so far (= eventCount): the job progress of issue 13 (done / total, rate, ETA). */
  readonly done: number;
  /**
   * Events the scan will read, estimated as the bound's position (positions start at 1 and are dense in
   * the SQLite log; a PostgreSQL sequence may skip, so it is an upper bound there); the last report says
   * the exact count (done === total).
   */
  readonly total: number;
}

export interface ScanOptions {
  /** Inclusive upper bound; defaults to the head when the scan starts (later appends are not read). */
  readonly untilPosition?: bigint;
  readonly onProgress?: (progress: ScanProgress) => void;
  readonly pageSize?: number;
  /** Aborts between batches (at most one batch later): the scan rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

export interface ScanResult {
  readonly untilPosition: bigint;
  readonly eventCount: number;
  readonly lastPosition: bigint;
}

export type ScannedStore = Pick<EventStore, 'readAll' | 'headPosition'> & Partial<RawLogReader>;

export interface RowScanOptions extends ScanOptions {
  /** `stream`: stream by stream (needs the store's streaming read). Default: position order. */
  readonly order?: RawReadOrder;
  /**
   * A job of several passes over the same events: what the passes before this one read, and how many
   * passes follow it, so that done / total run on across them (issue 13's job progress).
   */
  readonly passes?: { readonly doneBefore: number; readonly after: number };
}

export async function scanRows(
  store: ScannedStore,
  visit: (row: RawEventRow) => void,
  options: RowScanOptions = {},
): Promise<ScanResult> {
  return scanBatches(
    store,
    (untilPosition) =>
      readAllRawOf(store, {
        untilPosition,
        order: options.order,
        batchSize: options.pageSize ?? SCAN_PAGE_SIZE,
      }),
    visit,
    options,
  );
}

/** The scan over any batches of the log up to the bound: progress, abort, a turn of the loop per batch. */
async function scanBatches<T extends { readonly position: bigint }>(
  store: ScannedStore,
  batchesUntil: (untilPosition: bigint) => AsyncIterable<readonly T[]>,
  visit: (item: T) => void,
  options: RowScanOptions,
): Promise<ScanResult> {
  const head = await store.headPosition();
  const untilPosition =
    options.untilPosition === undefined || options.untilPosition > head
      ? head
      : options.untilPosition;
  const passes = options.passes ?? { doneBefore: 0, after: 0 };
  const estimate = passes.doneBefore + Number(untilPosition) * (1 + passes.after);
  let eventCount = 0;
  let lastPosition = 0n;
  const report = (position: bigint, total: number): void =>
    options.onProgress?.({
      position,
      untilPosition,
      eventCount,
      done: passes.doneBefore + eventCount,
      total,
    });
  options.signal?.throwIfAborted();
  if (untilPosition > 0n) {
    for await (const batch of batchesUntil(untilPosition)) {
      for (const row of batch) {
        visit(row);
        if (row.position > lastPosition) lastPosition = row.position;
      }
      eventCount += batch.length;
      // Stream order has no position to show: the count stands in for it (dense in SQLite).
      const shown = options.order === 'stream' ? BigInt(eventCount) : lastPosition;
      report(
        shown < untilPosition ? shown : untilPosition,
        Math.max(estimate, passes.doneBefore + eventCount),
      );
      await nextTurn();
      options.signal?.throwIfAborted();
    }
  }
  // The exact total, now that this pass's count is known (the passes after it read as many).
  report(untilPosition, passes.doneBefore + eventCount * (1 + passes.after));
  return { untilPosition, eventCount, lastPosition };
}

/** Every event up to the bound, parsed, in position order. */
export async function scanLog(
  store: ScannedStore,
  visit: (event: RecordedEvent) => void,
  options: ScanOptions = {},
): Promise<ScanResult> {
  // A store without a streaming read (EventStoreDB, a bounded view) is paged as readAll returns it.
  if (hasRawReads(store)) return scanRows(store, (row) => visit(eventOfRow(row)), options);
  const batchSize = options.pageSize ?? SCAN_PAGE_SIZE;
  return scanBatches(
    store,
    (untilPosition) => readAllPages(store, { untilPosition, batchSize }),
    visit,
    options,
  );
}
