/**
 * The streaming read of the whole log (issue 13, docs/benchmarks.md "Auditor replay"): one cursor over the
 * events table, batch after batch, never re-queried, with data and metadata left as the stored text so
 * that a whole-ledger job parses only what it reads (a seal parses nothing, docs/invariants.md 7).
 *
 * Adapters that can (SQLite: better-sqlite3 `iterate()` on a connection of its own; PostgreSQL: a
 * `DECLARE … CURSOR` in a read-only REPEATABLE READ transaction) expose `readAllRaw`; `readAllRawOf` falls
 * back to paging through `readAll` for the others (EventStoreDB), in position order only.
 */
import { canonicalJson } from '@hz/kernel';
import { recordedEventOf } from './event-rows';
import type { EventStore, RecordedEvent } from './port';

/** One stored event as the table holds it: data and metadata are the stored (canonical) JSON texts. */
export interface RawEventRow {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/**
 * `position`: the global log order. `stream`: stream by stream (stream id, then revision), the order in
 * which per-stream state can be released at each stream's end (flat memory, issue 13).
 */
export type RawReadOrder = 'position' | 'stream';

export interface ReadAllRawOptions {
  /** Exclusive lower bound (events with position > fromPosition); default: the start. */
  readonly fromPosition?: bigint;
  /** Inclusive upper bound; default: no bound (the snapshot the cursor reads). */
  readonly untilPosition?: bigint;
  readonly order?: RawReadOrder;
  /** Rows per batch the iterator yields; default RAW_BATCH_SIZE. */
  readonly batchSize?: number;
}

/** Large enough to amortise the per-batch cost, small enough to keep a batch a few MB. */
export const RAW_BATCH_SIZE = 1000;

/** What an adapter with a streaming read offers. The iterator must be finished or `return()`ed. */
export interface RawLogReader {
  readAllRaw(options?: ReadAllRawOptions): AsyncIterable<readonly RawEventRow[]>;
}

export function hasRawReads(store: object): store is RawLogReader {
  return typeof (store as Partial<RawLogReader>).readAllRaw === 'function';
}

/** Whether `readAllRawOf(store, { order: 'stream' })` will work on this store. */
export function supportsStreamOrder(store: object): boolean {
  return hasRawReads(store);
}

/**
 * The store's streaming read, or (an adapter without one) readAll pages turned into rows by re-serialising
 * data and metadata canonically, which is the text the adapters store. Stream order needs the hook.
 */
export function readAllRawOf(
  store: Pick<EventStore, 'readAll'> | (Pick<EventStore, 'readAll'> & RawLogReader),
  options: ReadAllRawOptions = {},
): AsyncIterable<readonly RawEventRow[]> {
  if (hasRawReads(store)) return store.readAllRaw(options);
  if (options.order === 'stream')
    throw new Error('this event store has no streaming read in stream order');
  return pagedRawRows(store, options);
}

async function* pagedRawRows(
  store: Pick<EventStore, 'readAll'>,
  options: ReadAllRawOptions,
): AsyncGenerator<readonly RawEventRow[]> {
  for await (const page of readAllPages(store, options)) yield page.map(rawRowOf);
}

/**
 * The log through readAll, page after page (each page a new query from the last position), parsed as
 * readAll returns it, up to `untilPosition`: the way to read an adapter that has no streaming read.
 */
export async function* readAllPages(
  store: Pick<EventStore, 'readAll'>,
  options: Omit<ReadAllRawOptions, 'order'> = {},
): AsyncGenerator<readonly RecordedEvent[]> {
  const batchSize = positiveBatchSize(options.batchSize);
  let fromPosition = options.fromPosition ?? 0n;
  for (;;) {
    const page = await store.readAll({ fromPosition, maxCount: batchSize });
    const until = options.untilPosition;
    const within = until === undefined ? page : page.filter((event) => event.position <= until);
    if (within.length > 0) yield within;
    const last = page[page.length - 1];
    if (last === undefined || page.length < batchSize || within.length < page.length) return;
    if (last.position <= fromPosition)
      throw new Error(`readAll did not advance past position ${fromPosition}`);
    fromPosition = last.position;
  }
}

/** The row parsed into the port's RecordedEvent, exactly as the adapters' readAll map their rows. */
export function eventOfRawRow(row: RawEventRow): RecordedEvent {
  return recordedEventOf({
    position: row.position,
    stream_id: row.streamId,
    revision: row.revision,
    event_id: row.id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
  });
}

export function rawRowOf(event: RecordedEvent): RawEventRow {
  return {
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    id: event.id,
    type: event.type,
    data: canonicalJson(event.data),
    metadata: canonicalJson(event.metadata),
  };
}

export function positiveBatchSize(value: number | undefined): number {
  const size = value ?? RAW_BATCH_SIZE;
  if (!Number.isSafeInteger(size) || size < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${size}`);
  return size;
}
