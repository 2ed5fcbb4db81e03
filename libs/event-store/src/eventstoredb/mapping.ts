/**
 * Pure translations between our port and @eventstore/db-client. Kept apart from I/O so they are unit
 * tested on every run, with or without an EventStoreDB server.
 *
 * Positions: gRPC appends are implicit commits, for which EventStoreDB's $all reader reports each
 * event at its own log position (commit = prepare = where the record starts). So the commit position
 * is unique per event and grows in $all order, and is our `position`. $all reads are inclusive of the
 * position they start from; ours are exclusive, so readers drop an event sitting exactly on it.
 */
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type JSONEventData,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { isPlainRecord } from '../append-guards';
import { StreamNotFound, WrongExpectedVersion } from '../errors';
import type { ExpectedRevision, JsonObject, RecordedEvent, StoredEventMetadata } from '../port';
import type { SealedEvent } from '../postgres/sealed-events';

/** EventStoreDB reports this commit position where it has none (stream reads on servers before 22.6). */
export const UNKNOWN_POSITION = 18446744073709551615n;

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (typeof expected !== 'bigint' || expected < 0n)
        throw new RangeError(`invalid expected revision ${String(expected)}`);
      return expected;
  }
}

/** Our error for EventStoreDB's, naming what our caller expected (not what the adapter sent). */
export function toWrongExpectedVersion(
  error: WrongExpectedVersionError,
  streamId: string,
  expected: ExpectedRevision,
): WrongExpectedVersion {
  const actual = error.actualVersion;
  return new WrongExpectedVersion(
    streamId,
    expected,
    typeof actual === 'bigint' ? actual : 'no_stream',
  );
}

export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return error instanceof WrongExpectedVersionError;
}

export function isStreamNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError || error instanceof StreamNotFound;
}

/** The event as EventStoreDB stores it: id passed through (a UUID), JSON data, our sealed metadata. */
export function toEsdbEvent(event: SealedEvent): JSONEventData {
  assertUuid(event.id);
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    data: JSON.parse(event.dataJson) as JsonObject,
    metadata: JSON.parse(event.metadataJson) as JsonObject,
  };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertUuid(id: string): void {
  if (!UUID_PATTERN.test(id))
    throw new TypeError(`EventStoreDB needs UUID event ids; ${JSON.stringify(id)} is not one`);
}

/** Where a $all read starts so that it returns events strictly after `position` (plus, possibly, the one at it). */
export function toEsdbReadPosition(position: bigint): Position {
  if (position < 0n) throw new RangeError(`position ${position} is negative`);
  return { commit: position, prepare: position };
}

/** System streams and types ($-prefixed: settings, stats, metadata, links) are not ledger events. */
export function isSystemEvent(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

/**
 * Maps one resolved event; undefined for what is not a ledger event (system events, unresolved links).
 * Throws for a ledger event that cannot be represented (non-JSON, missing position): that is a bug or
 * a server too old for this adapter, not something to skip silently.
 */
export function toRecordedEvent(
  resolved: Pick<ResolvedEvent, 'event' | 'commitPosition'>,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (event === undefined || isSystemEvent(event.streamId, event.type)) return undefined;
  if (!event.isJson) throw new Error(`event ${event.id} in ${event.streamId} is not JSON`);
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined || commit === UNKNOWN_POSITION) {
    throw new Error(
      `EventStoreDB gave no position for event ${event.id}; a server of version 22.6 or later is required`,
    );
  }
  return {
    id: event.id,
    type: event.type,
    data: jsonObject(event.data, event.id, 'data'),
    metadata: jsonObject(event.metadata, event.id, 'metadata') as unknown as StoredEventMetadata,
    streamId: event.streamId,
    revision: event.revision,
    position: commit,
  };
}

function jsonObject(value: unknown, id: string, what: string): JsonObject {
  if (!isPlainRecord(value)) throw new Error(`event ${id}: ${what} is not a JSON object`);
  return value as JsonObject;
}
