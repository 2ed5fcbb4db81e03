/**
 * Reads. The global log (readAll, headPosition, subscriptions) returns only rows written by transactions
 * that had finished, together with every older transaction of this database, when the query's snapshot
 * was taken: `tx_id < horizon`, where horizon is the snapshot's xmin (pg_snapshot_xmin) restricted to
 * this database. Combined with appends drawing xid and positions in one global section (./append.ts),
 * a page never has a hole that a late commit could fill afterwards.
 *
 * Why restricted: xids and snapshots are cluster-wide, so the plain xmin would let a transaction in
 * another database (another service, a parallel test run) hold our readers back. An in-progress xid is
 * ignored only when pg_stat_activity positively shows it running in another database; an xid that
 * cannot be placed (finished meanwhile, or hidden by privileges) counts as ours, which errs on the side
 * of waiting. Writers always connect to this database, so a foreign xid never writes our events.
 *
 * The cost: a transaction holding an xid in this database holds readers back until it ends, so a
 * long-running write delays subscriptions (never corrupts them). Stream reads need no such rule: a
 * stream's events become visible together, in revision order, at their transaction's commit.
 */
import type { Pool } from 'pg';
import { StreamNotFound } from '../errors';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../port';
import { eventColumns, toRecordedEvent, type EventRow } from './rows';
import { positiveInteger } from './pg-support';
import type { SchemaNames } from './schema';

/** readAll without maxCount returns at most this many events (as the SQLite adapter does). */
export const READ_ALL_DEFAULT_MAX_COUNT = 1000;
/** Largest bigint: the open upper bound for reads "from the end". */
const REVISION_END = 9223372036854775807n;

/**
 * One snapshot per statement: pg_current_snapshot() is the snapshot the rest of the statement reads
 * with. xids at or above its xmax are in progress too but never listed in xip; no row of theirs is
 * visible, so xmax is the horizon when no listed xid of ours is open. A foreign xid is recognised by
 * its low 32 bits, unique among in-progress xids (they lie within 2^31 of each other).
 */
export const HORIZON_CTE = `WITH snap AS (SELECT pg_current_snapshot() AS s),
  foreign_xids AS (
    SELECT backend_xid::text::bigint AS xid32 FROM pg_stat_activity
    WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()),
  horizon AS (
    SELECT COALESCE(
      (SELECT min(x) FROM snap, pg_snapshot_xip(snap.s) AS x
        WHERE (x::text::numeric % 4294967296)::bigint NOT IN (SELECT xid32 FROM foreign_xids)),
      (SELECT pg_snapshot_xmax(s) FROM snap)) AS xmin)`;

export async function readAllSafe(
  pool: Pool,
  names: SchemaNames,
  options: ReadAllOptions,
): Promise<RecordedEvent[]> {
  const limit = positiveInteger(options.maxCount ?? READ_ALL_DEFAULT_MAX_COUNT, 'maxCount');
  const from = options.fromPosition ?? 0n;
  const { rows } = await pool.query<EventRow>(
    `${HORIZON_CTE}
     SELECT ${eventColumns('e')} FROM ${names.events} e, horizon
     WHERE e.position > $1 AND e.tx_id < horizon.xmin
     ORDER BY e.position ASC LIMIT $2`,
    [from.toString(), limit],
  );
  return rows.map(toRecordedEvent);
}

/** The last position a reader can see without a hole below it; 0n when there is none. */
export async function readSafeHeadPosition(pool: Pool, names: SchemaNames): Promise<bigint> {
  const { rows } = await pool.query<{ position: string }>(
    `${HORIZON_CTE}
     SELECT e.position FROM ${names.events} e, horizon WHERE e.tx_id < horizon.xmin ORDER BY e.position DESC LIMIT 1`,
  );
  return BigInt(rows[0]?.position ?? '0');
}

/**
 * One statement, so one snapshot: the events and the stream row are read together. Two statements
 * (events first, then "does the stream exist?") could see a stream whose first append committed in
 * between without its events, and return [] for a stream that holds events (an idempotency record
 * read that way looked reserved yet empty). A stream's row and events commit in one transaction, so
 * one snapshot holds either both or neither.
 */
export async function readStreamEvents(
  pool: Pool,
  names: SchemaNames,
  streamId: string,
  options: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  const direction = options.direction ?? 'forwards';
  // null is "no limit": a decider needs the whole stream unless it asks for less.
  const limit =
    options.maxCount === undefined ? null : positiveInteger(options.maxCount, 'maxCount');
  const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
  const revision = from === 'start' ? 0n : from === 'end' ? REVISION_END : from;
  const [comparison, order] = direction === 'forwards' ? ['>=', 'ASC'] : ['<=', 'DESC'];
  const { rows } = await pool.query<EventRow & { stream_exists: boolean; present: boolean }>(
    `WITH page AS (
       SELECT ${eventColumns('e')}, true AS present FROM ${names.events} e
       WHERE e.stream_id = $1 AND e.revision ${comparison} $2 ORDER BY e.revision ${order} LIMIT $3)
     SELECT page.*, EXISTS (SELECT 1 FROM ${names.streams} s WHERE s.stream_id = $1) AS stream_exists
     FROM (SELECT 1) AS one LEFT JOIN page ON true
     ORDER BY page.revision ${order}`,
    [streamId, revision.toString(), limit],
  );
  const events = rows.filter((row) => row.present === true);
  if (events.length === 0 && rows[0]?.stream_exists !== true) throw new StreamNotFound(streamId);
  return events.map(toRecordedEvent);
}
