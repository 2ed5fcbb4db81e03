/**
 * Prepared statements of the SQLite adapter; rows map to events in ../event-rows.ts, which returns stored
 * revisions and positions as they are, never renumbered, so a deleted or moved row stays visible to the
 * chain verifier.
 */
import type Database from 'better-sqlite3';
import { recordedEventOf, type EventRowOf } from '../event-rows';

/** The shared events row (../event-rows.ts), bigint columns as better-sqlite3 returns them. */
export type EventRow = EventRowOf<bigint>;

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
    readForwardsAll: db.prepare<[string, bigint], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC`,
    ),
    readBackwardsAll: db.prepare<[string, bigint], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC`,
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
    recordByKey: db.prepare<[string], { readonly value: string }>(
      'SELECT value FROM records WHERE key = ?',
    ),
    insertRecord: db.prepare<[string, string]>('INSERT INTO records (key, value) VALUES (?, ?)'),
    // max() of the rowid is a single b-tree descent: cheap enough to poll every few tens of milliseconds.
    headPosition: db.prepare<[], { readonly position: bigint | null }>(
      'SELECT max(position) AS position FROM events',
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

export const toRecordedEvent = recordedEventOf;
