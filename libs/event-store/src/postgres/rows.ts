/**
 * Row shapes and mapping. node-postgres returns bigint columns as decimal strings (a JS number would
 * lose precision), and we read json columns as text so that the idempotency check compares the exact
 * canonical text that was stored.
 */
import { isPlainRecord } from '../append-guards';
import type { JsonObject, RecordedEvent, StoredEventMetadata } from '../port';

export interface EventRow {
  readonly position: string;
  readonly stream_id: string;
  readonly revision: string;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

export interface StreamHeadRow {
  readonly revision: string;
  readonly position: string;
  readonly hash: string;
}

/** The select list matching EventRow; `table` is the quoted events table or an alias of it. */
export function eventColumns(table: string): string {
  return `${table}.position, ${table}.stream_id, ${table}.revision, ${table}.event_id, ${table}.type, ${table}.data::text AS data, ${table}.metadata::text AS metadata`;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: parseObject(row.data, row),
    // Written by the adapter with recordedAt/hash/prevHash; an edited row is the chain verifier's to report.
    metadata: parseObject(row.metadata, row) as unknown as StoredEventMetadata,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
  };
}

function parseObject(text: string, row: EventRow): JsonObject {
  const value: unknown = JSON.parse(text);
  if (!isPlainRecord(value))
    throw new Error(`event at position ${row.position} holds a non-object JSON value`);
  return value as JsonObject;
}
