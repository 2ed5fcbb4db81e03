/**
 * The SQLite file layout. One table; the INTEGER PRIMARY KEY is the global position. AUTOINCREMENT keeps
 * positions from ever being reused, and STRICT stops a stray REAL or TEXT revision from sorting between
 * two real ones. The triggers make accidental UPDATE/DELETE fail loudly (invariant 5); someone with raw
 * file access can drop them, which is why the hash chain exists.
 */
import Database from 'better-sqlite3';

export type SqliteSynchronous = 'FULL' | 'NORMAL';

export const SCHEMA_VERSION = 1n;

export const EVENTS_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL CHECK (revision >= 0),
  event_id  TEXT    NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  UNIQUE (stream_id, revision),
  UNIQUE (event_id)
) STRICT`;

/**
 * Records beside the log (port.ts RecordStore, issue 12: the HTTP idempotency record), committed in the
 * same transaction as the command's events. Not events: readAll, subscriptions and chains never see them.
 * Added without a version bump: created if missing at every open, like the triggers.
 */
export const RECORDS_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS records (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records
  BEGIN SELECT RAISE(ABORT, 'records are written once'); END;
CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records
  BEGIN SELECT RAISE(ABORT, 'records are written once'); END`;

const IMMUTABILITY_SQL = `
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are immutable: append a correcting event instead'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are immutable: append a correcting event instead'); END`;

const SYNCHRONOUS_LEVEL: Record<SqliteSynchronous, bigint> = { NORMAL: 1n, FULL: 2n };

export interface DatabaseOptions {
  readonly file: string;
  readonly synchronous: SqliteSynchronous;
  readonly busyTimeoutMs: number;
}

/** Opens (creating if needed) an event store file with WAL, the requested sync level and the schema. */
export function openDatabase(options: DatabaseOptions): Database.Database {
  // `timeout` is SQLite's busy_timeout: a writer waits this long for another process's lock before SQLITE_BUSY.
  const db = new Database(options.file, { timeout: options.busyTimeoutMs });
  try {
    db.defaultSafeIntegers(true);
    configure(db, options);
    db.transaction(() => migrate(db)).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function configure(db: Database.Database, options: DatabaseOptions): void {
  const inMemory = options.file === ':memory:' || options.file === '';
  const journalMode: unknown = db.pragma('journal_mode = WAL', { simple: true });
  if (!inMemory && journalMode !== 'wal')
    throw new Error(
      `could not switch ${options.file} to WAL (journal_mode=${String(journalMode)})`,
    );
  db.pragma(`synchronous = ${options.synchronous}`);
  const level: unknown = db.pragma('synchronous', { simple: true });
  if (level !== SYNCHRONOUS_LEVEL[options.synchronous])
    throw new Error(`synchronous=${options.synchronous} did not take (got ${String(level)})`);
}

function migrate(db: Database.Database): void {
  const version: unknown = db.pragma('user_version', { simple: true });
  if (version === SCHEMA_VERSION) {
    // Triggers dropped by someone with file access are put back at every open, not only at creation.
    const triggers = db
      .prepare(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name IN ('events_no_update', 'events_no_delete')",
      )
      .get() as { n: number | bigint };
    if (BigInt(triggers.n) < 2n) db.exec(IMMUTABILITY_SQL);
    db.exec(RECORDS_TABLE_SQL);
    return;
  }
  if (version !== 0n)
    throw new Error(
      `event store schema version ${String(version)} is not ${SCHEMA_VERSION}; refusing to open`,
    );
  db.exec(EVENTS_TABLE_SQL);
  db.exec(IMMUTABILITY_SQL);
  db.exec(RECORDS_TABLE_SQL);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}
