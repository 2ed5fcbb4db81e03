/**
 * Test support: ways to break a ledger that the application would never allow, to prove that `verify`
 * notices. Raw SQL on the SQLite file (with the immutability triggers dropped, as an attacker with file
 * access would), and events appended straight into the store, bypassing the deciders.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  computeEventHash,
  openSqliteEventStore,
  type JsonObject,
  type RecordedEvent,
  type StoredEventMetadata,
} from '@hz/event-store';

export function ledgerFile(dataDir: string): string {
  return join(dataDir, 'ledger.db');
}

interface Row {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

export function withRawDatabase<T>(dataDir: string, work: (db: Database.Database) => T): T {
  const db = new Database(ledgerFile(dataDir));
  try {
    db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
    return work(db);
  } finally {
    db.close();
  }
}

export function firstEventOfType(dataDir: string, type: string): Row {
  return withRawDatabase(
    dataDir,
    (db) =>
      db.prepare('SELECT * FROM events WHERE type = ? ORDER BY position LIMIT 1').get(type) as Row,
  );
}

/** A forgery: `change` rewrites the data of the event at `position` in the ledger file of `dataDir`. */
type Tampering = (
  dataDir: string,
  position: number,
  change: (data: JsonObject) => JsonObject,
) => void;

/** Edits an event's data in place, leaving every hash as it was (what a naive forger does). */
export const tamperData: Tampering = (dataDir, position, change) => {
  withRawDatabase(dataDir, (db) => {
    const row = db.prepare('SELECT data FROM events WHERE position = ?').get(position) as {
      data: string;
    };
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      JSON.stringify(change(JSON.parse(row.data) as JsonObject)),
      position,
    );
  });
};

/**
 * Edits an event and then rewrites the hash chain of its stream from that event on, consistently, so every
 * chain verifies again (what a careful forger with file access does). Only a sealed checkpoint can tell.
 */
export const tamperAndRechain: Tampering = (dataDir, position, change) => {
  withRawDatabase(dataDir, (db) => {
    const target = db.prepare('SELECT * FROM events WHERE position = ?').get(position) as Row;
    const rows = db
      .prepare('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision')
      .all(target.stream_id, target.revision) as Row[];
    let prevHash = (JSON.parse(rows[0]!.metadata) as StoredEventMetadata).prevHash;
    for (const row of rows) {
      const data =
        row.position === position
          ? change(JSON.parse(row.data) as JsonObject)
          : (JSON.parse(row.data) as JsonObject);
      const metadata = { ...(JSON.parse(row.metadata) as StoredEventMetadata), prevHash };
      const hash = computeEventHash({
        streamId: row.stream_id,
        revision: BigInt(row.revision),
        id: row.event_id,
        type: row.type,
        data,
        metadata,
      });
      db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(
        JSON.stringify(data),
        JSON.stringify({ ...metadata, hash }),
        row.position,
      );
      prevHash = hash;
    }
  });
};

/** Appends events to a stream through the store port (so their chain is valid), skipping every decider. */
export async function appendStraight(
  dataDir: string,
  streamId: string,
  events: ReadonlyArray<{ type: string; data: JsonObject; actor?: string; role?: string }>,
): Promise<void> {
  const store = await openSqliteEventStore({ file: ledgerFile(dataDir) });
  try {
    const existing = await store.readStream(streamId).catch(() => [] as RecordedEvent[]);
    const last = existing[existing.length - 1];
    const expectedRevision = last === undefined ? ('no_stream' as const) : last.revision;
    const now = new Date().toISOString();
    const newEvents = events.map((event, index) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: {
        actor: event.actor ?? 'forger',
        role: event.role ?? 'reviewer',
        correlationId: 'forged',
        causationId: 'forged',
        idempotencyKey: `forged-${now}-${index}`,
        occurredAt: now,
      },
    }));
    await store.appendToStream(streamId, newEvents, { expectedRevision });
  } finally {
    await store.close();
  }
}

export async function readStreamEvents(
  dataDir: string,
  streamId: string,
): Promise<RecordedEvent[]> {
  const store = await openSqliteEventStore({ file: ledgerFile(dataDir) });
  try {
    return await store.readStream(streamId);
  } finally {
    await store.close();
  }
}
