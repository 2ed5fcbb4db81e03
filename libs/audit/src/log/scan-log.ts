/**
 * One bounded pass over the log in position order through the port's readAll, so every audit works on
 * every adapter (SQLite, PostgreSQL, EventStoreDB) and holds at most one page of events in memory.
 */
import type { EventStore, RecordedEvent } from '@hz/event-store';

/** Events per readAll page: large enough to amortise a round trip, small enough to stay a few MB. */
export const SCAN_PAGE_SIZE = 2000;

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
  /** Aborts between pages (at most one page later): the scan rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

export interface ScanResult {
  readonly untilPosition: bigint;
  readonly eventCount: number;
  readonly lastPosition: bigint;
}

export async function scanLog(
  store: Pick<EventStore, 'readAll' | 'headPosition'>,
  visit: (event: RecordedEvent) => void,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const head = await store.headPosition();
  const untilPosition =
    options.untilPosition === undefined || options.untilPosition > head
      ? head
      : options.untilPosition;
  const pageSize = options.pageSize ?? SCAN_PAGE_SIZE;
  let fromPosition = 0n;
  let eventCount = 0;
  const total = Number(untilPosition);
  while (fromPosition < untilPosition) {
    options.signal?.throwIfAborted();
    const page = await store.readAll({ fromPosition, maxCount: pageSize });
    const last = page[page.length - 1];
    if (last === undefined) break;
    if (last.position <= fromPosition)
      throw new Error(`readAll did not advance past position ${fromPosition}`);
    for (const event of page) {
      if (event.position > untilPosition) break;
      visit(event);
      eventCount += 1;
    }
    fromPosition = last.position;
    const finished = fromPosition >= untilPosition || page.length < pageSize;
    options.onProgress?.({
      position: fromPosition < untilPosition ? fromPosition : untilPosition,
      untilPosition,
      eventCount,
      done: eventCount,
      total: finished ? eventCount : Math.max(total, eventCount),
    });
    if (page.length < pageSize) break;
  }
  return {
    untilPosition,
    eventCount,
    lastPosition: fromPosition < untilPosition ? fromPosition : untilPosition,
  };
}
