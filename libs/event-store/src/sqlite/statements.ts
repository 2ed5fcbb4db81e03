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
    // Bounded reads: a literal LIMIT per limit value (limitedStatements below), never `LIMIT ?`.
    readForwards: limitedStatements<[string, bigint]>(
      db,
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT`,
    ),
    readForwardsAll: db.prepare<[string, bigint], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC`,
    ),
    readBackwardsAll: db.prepare<[string, bigint], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC`,
    ),
    readBackwards: limitedStatements<[string, bigint]>(
      db,
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT`,
    ),
    streamExists: db.prepare<[string], { readonly found: bigint }>(
      'SELECT 1 AS found FROM events WHERE stream_id = ? LIMIT 1',
    ),
    readAll: limitedStatements<[bigint]>(
      db,
      `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT`,
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

/** How many limit values of one bounded read keep their statement; past it the oldest is dropped. */
export const LIMITED_STATEMENTS_MAX = 16;

/** The statement of a bounded read for one limit value (a positive safe integer). */
export type LimitedStatement<P extends unknown[]> = (
  limit: number,
) => Database.Statement<P, EventRow>;

/**
 * A bounded read's statement with its limit written into the SQL, one prepared statement per limit value,
 * at most LIMITED_STATEMENTS_MAX of them (the first prepared is dropped first). A bound `LIMIT ?` makes
 * SQLite re-prepare the SELECT at every call, as its planner reads the bound value (docs/benchmarks.md
 * "The write path, session 8"; measured 8.2-8.7 against 2.3-2.5 µs for a one-row stream read); callers
 * use a handful of limits (the subscription's batch, a reference's first event, a page size).
 */
export function limitedStatements<P extends unknown[]>(
  db: Database.Database,
  sqlBeforeLimit: string,
): LimitedStatement<P> {
  const byLimit = new Map<number, Database.Statement<P, EventRow>>();
  return (limit) => {
    const known = byLimit.get(limit);
    if (known !== undefined) return known;
    // Only a positive safe integer is ever written into the SQL text.
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`a read's limit must be a positive integer, got ${limit}`);
    if (byLimit.size >= LIMITED_STATEMENTS_MAX)
      byLimit.delete(byLimit.keys().next().value as number);
    const statement = db.prepare<P, EventRow>(`${sqlBeforeLimit} ${limit}`);
    byLimit.set(limit, statement);
    return statement;
  };
}

export const toRecordedEvent = recordedEventOf;
