/**
 * Prepared statements and row mapping. Reads return stored revisions and positions as they are, never
 * renumbered, so a deleted or moved row stays visible to the chain verifier.
 */
import type Database from 'better-sqlite3';
import { isPlainRecord } from '../append-guards';
import type { JsonObject, RecordedEvent, StoredEventMetadata } from '../port';

export interface EventRow {
  readonly position: bigint;
  readonly stream_id: string;
  readonly revision: bigint;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

export interface StreamHeadRow {
  readonly revision: bigint;
  readonly position: bigint;
  readonly hash: string | null;
}

export type InsertParameters = [
  streamId: string,
  revision: bigint,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
];

/** SQLite's largest integer: the open upper bound for backwards reads "from the end". */
export const REVISION_END = 9223372036854775807n;
const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata';

export function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare<InsertParameters>(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    streamHead: db.prepare<[string], StreamHeadRow>(
      "SELECT revision, position, json_extract(metadata, '$.hash') AS hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1",
    ),
    byEventId: db.prepare<[string], EventRow>(`SELECT ${COLUMNS} FROM events WHERE event_id = ?`),
    readForwards: db.prepare<[string, bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    ),
    readBackwards: db.prepare<[string, bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    streamExists: db.prepare<[string], { readonly found: bigint }>(
      'SELECT 1 AS found FROM events WHERE stream_id = ? LIMIT 1',
    ),
    readAll: db.prepare<[bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`,
    ),
    // max() of the rowid is a single b-tree descent: cheap enough to poll every few tens of milliseconds.
    headPosition: db.prepare<[], { readonly position: bigint | null }>(
      'SELECT max(position) AS position FROM events',
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: parseObject(row.data, row),
    // The adapter wrote this metadata with recordedAt/hash/prevHash; if someone edited the row, the chain
    // verifier (which compares values and tolerates missing ones) reports it.
    metadata: parseObject(row.metadata, row) as unknown as StoredEventMetadata,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
  };
}

function parseObject(text: string, row: EventRow): JsonObject {
  const value: unknown = JSON.parse(text);
  if (!isPlainRecord(value))
    throw new Error(`event at position ${row.position} holds a non-object JSON value`);
  return value as JsonObject;
}
