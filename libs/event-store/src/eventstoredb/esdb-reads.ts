/**
 * Reads over @eventstore/db-client, in our terms. $all holds system events too ($settings, stats,
 * stream metadata) and this client's readAll cannot filter on the server, so $all reads page until
 * they have enough ledger events, with a bound on the pages so a pathological log cannot spin forever.
 */
import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import { StreamNotFound } from '../errors';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../port';
import { isStreamNotFound, toEsdbReadPosition, toRecordedEvent } from './mapping';

export type EsdbClient = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

/** readAll without maxCount returns at most this many events (as the other adapters do). */
export const READ_ALL_DEFAULT_MAX_COUNT = 1000;
/** Raw $all records fetched per page while skipping system events. */
const ALL_PAGE_SIZE = 500;
/** At most this many pages per call: past it, the caller gets what was found and pages on. */
const ALL_PAGES_MAX = 200;

export async function readStreamEvents(
  client: EsdbClient,
  streamId: string,
  options: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  const direction = options.direction ?? 'forwards';
  const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
  if (
    options.maxCount !== undefined &&
    (!Number.isSafeInteger(options.maxCount) || options.maxCount < 1)
  ) {
    throw new RangeError(`maxCount must be a positive integer, got ${options.maxCount}`);
  }
  const events: RecordedEvent[] = [];
  try {
    const read = client.readStream(streamId, {
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      fromRevision: from === 'start' ? START : from === 'end' ? END : from,
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    for await (const resolved of read) {
      const event = toRecordedEvent(resolved);
      if (event !== undefined) events.push(event);
    }
  } catch (error) {
    if (isStreamNotFound(error)) throw new StreamNotFound(streamId);
    throw error;
  }
  return events;
}

/** Like readStreamEvents, but a missing stream is an empty list (what an append wants to know). */
export async function readStreamOrEmpty(
  client: EsdbClient,
  streamId: string,
  options: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  try {
    return await readStreamEvents(client, streamId, options);
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

/** Ledger events with position > fromPosition, in $all order, at most maxCount. */
export async function readAllEvents(
  client: EsdbClient,
  options: ReadAllOptions,
): Promise<RecordedEvent[]> {
  const limit = options.maxCount ?? READ_ALL_DEFAULT_MAX_COUNT;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`maxCount must be a positive integer, got ${limit}`);
  const events: RecordedEvent[] = [];
  // Each page starts at the last position seen and so repeats it: only later positions are taken.
  let taken = options.fromPosition ?? 0n;
  let cursor = taken;
  for (let page = 0; page < ALL_PAGES_MAX && events.length < limit; page += 1) {
    let raw = 0;
    const read = client.readAll({
      direction: FORWARDS,
      fromPosition: cursor === 0n ? START : toEsdbReadPosition(cursor),
      maxCount: ALL_PAGE_SIZE,
    });
    for await (const resolved of read) {
      raw += 1;
      const commit = resolved.event?.position.commit ?? resolved.commitPosition;
      if (commit !== undefined && commit > cursor) cursor = commit;
      const event = toRecordedEvent(resolved);
      // $all reads include their start position; ours exclude it.
      if (event !== undefined && event.position > taken && events.length < limit) {
        events.push(event);
        taken = event.position;
      }
    }
    if (raw < ALL_PAGE_SIZE) break;
  }
  return events;
}

/** Position of the newest ledger event in $all, 0n when there is none. */
export async function readHeadPosition(client: EsdbClient): Promise<bigint> {
  let cursor: typeof END | Position = END;
  for (let page = 0; page < ALL_PAGES_MAX; page += 1) {
    let raw = 0;
    const read = client.readAll({
      direction: BACKWARDS,
      fromPosition: cursor,
      maxCount: ALL_PAGE_SIZE,
    });
    for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
      raw += 1;
      const event = toRecordedEvent(resolved);
      if (event !== undefined) return event.position;
      const position: Position | undefined = resolved.event?.position;
      if (position !== undefined) cursor = position;
    }
    if (raw < ALL_PAGE_SIZE) return 0n;
  }
  throw new Error(
    `no ledger event among the last ${ALL_PAGES_MAX * ALL_PAGE_SIZE} records of $all`,
  );
}
