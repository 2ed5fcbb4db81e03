/**
 * The events table as both SQL adapters read it (docs/architecture.md §4): one row shape and one mapping
 * to RecordedEvent. `Int` is how the driver returns the bigint columns: better-sqlite3 as bigint,
 * node-postgres as decimal strings (a JS number would lose precision). data and metadata are read as text,
 * so the idempotency check compares the exact canonical text that was stored.
 */
import { isPlainRecord } from './append-guards';
import type { JsonObject, RecordedEvent, StoredEventMetadata } from './port';

export interface EventRowOf<Int extends bigint | string> {
  readonly position: Int;
  readonly stream_id: string;
  readonly revision: Int;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/**
 * Stored revisions and positions come back as they are, never renumbered, so a deleted or moved row stays
 * visible to the chain verifier; so does edited metadata (the adapter wrote it with recordedAt, hash and
 * prevHash, and the verifier compares values and tolerates missing ones).
 */
export function recordedEventOf(row: EventRowOf<bigint | string>): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: parseObject(row.data, row),
    metadata: parseObject(row.metadata, row) as unknown as StoredEventMetadata,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
  };
}

function parseObject(text: string, row: EventRowOf<bigint | string>): JsonObject {
  const value: unknown = JSON.parse(text);
  if (!isPlainRecord(value))
    throw new Error(`event at position ${row.position} holds a non-object JSON value`);
  return value as JsonObject;
}
