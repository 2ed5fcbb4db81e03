/**
 * The two statements of an append after its per-stream lock: one read (idempotency candidates and the
 * stream head) and one write (the global section: events, stream head, notification). Few statements
 * because each is a network round trip, and the global lock is held only while the write executes
 * inside the server, never across a round trip.
 */
import type { ClientBase } from 'pg';
import { ADVISORY_LOCK_NAMESPACE, type SchemaNames } from './schema';
import type { SealedEvent, StoredIdentity } from './sealed-events';

export interface StreamHead {
  readonly revision: bigint;
  readonly position: bigint;
  readonly hash: string;
}

export interface AppendState {
  readonly stored: Map<string, StoredIdentity>;
  readonly head: StreamHead | undefined;
}

interface StateRow {
  readonly kind: 'stored' | 'head';
  readonly event_id: string | null;
  readonly stream_id: string;
  readonly type: string | null;
  readonly data: string | null;
  readonly revision: string;
  readonly position: string;
  readonly hash: string | null;
}

export async function readAppendState(
  client: ClientBase,
  names: SchemaNames,
  streamId: string,
  eventIds: readonly string[],
): Promise<AppendState> {
  const { stored, heads } = await readStreamsState(client, names, [streamId], eventIds);
  return { stored, head: heads.get(streamId) };
}

/** The heads of `streamIds` and what is stored under `eventIds`, in one query (a group-commit batch reads all at once). */
export async function readStreamsState(
  client: ClientBase,
  names: SchemaNames,
  streamIds: readonly string[],
  eventIds: readonly string[],
): Promise<{ stored: Map<string, StoredIdentity>; heads: Map<string, StreamHead> }> {
  const { rows } = await client.query<StateRow>(
    `SELECT 'stored' AS kind, event_id, stream_id, type, data::text AS data, revision, position, NULL AS hash
       FROM ${names.events} WHERE event_id = ANY($2::text[])
     UNION ALL
     SELECT 'head', NULL, stream_id, NULL, NULL, revision, position, hash FROM ${names.streams} WHERE stream_id = ANY($1::text[])`,
    [streamIds, eventIds],
  );
  const stored = new Map<string, StoredIdentity>();
  const heads = new Map<string, StreamHead>();
  for (const row of rows) {
    if (row.kind === 'head') {
      heads.set(row.stream_id, {
        revision: BigInt(row.revision),
        position: BigInt(row.position),
        hash: row.hash ?? '',
      });
    } else if (row.event_id !== null && row.type !== null && row.data !== null) {
      stored.set(row.event_id, {
        streamId: row.stream_id,
        type: row.type,
        dataJson: row.data,
        revision: BigInt(row.revision),
        position: BigInt(row.position),
      });
    }
  }
  return { stored, heads };
}

export async function readStreamHead(
  client: Pick<ClientBase, 'query'>,
  names: SchemaNames,
  streamId: string,
): Promise<StreamHead | undefined> {
  const { rows } = await client.query<{ revision: string; position: string; hash: string }>(
    `SELECT revision, position, hash FROM ${names.streams} WHERE stream_id = $1`,
    [streamId],
  );
  const row = rows[0];
  return row === undefined
    ? undefined
    : { revision: BigInt(row.revision), position: BigInt(row.position), hash: row.hash };
}

export interface WriteOutcome {
  readonly inserted: number;
  readonly lastPosition: bigint | undefined;
  /** The transaction's xid before the section; must be null (see ./append.ts). */
  readonly xidBefore: string | null;
  /** Stream head rows moved by the compare-and-set: 1, or 0 when someone bypassed the stream lock. */
  readonly moved: number;
  readonly unlocked: boolean;
}

/**
 * One statement: take the global lock, insert the events (this assigns the xid and draws positions),
 * move the stream head (compare-and-set on the previous revision; a new stream must not exist), queue
 * the notification (unless it is sent after commit, see ./append-announcer.ts), release the lock. The lock CTE is materialised and joined into the INSERT's source,
 * so no row reaches the INSERT before the lock is held; the unlock is in the final projection, which
 * runs only after the aggregate over every inserted row.
 */
function writeSql(names: SchemaNames, notifyInTransaction: boolean): string {
  const notify = notifyInTransaction ? 'pg_notify($12, summary.last::text)' : '$12::text';
  return `WITH section AS MATERIALIZED (
      SELECT pg_advisory_lock($1, hashtext($2)) AS locked, pg_current_xact_id_if_assigned() AS xid_before),
    inserted AS (
      INSERT INTO ${names.events} (stream_id, revision, event_id, type, data, metadata)
      SELECT $3, e.revision, e.event_id, e.type, e.data::json, e.metadata::json
      FROM section, unnest($4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY
        AS e(revision, event_id, type, data, metadata, ordinal)
      WHERE section.xid_before IS NULL
      ORDER BY e.ordinal
      RETURNING position),
    summary AS MATERIALIZED (SELECT count(*)::int AS inserted, max(position) AS last FROM inserted),
    moved AS (
      INSERT INTO ${names.streams} AS s (stream_id, revision, position, hash)
      SELECT $3, $9::bigint, summary.last, $10 FROM summary WHERE summary.inserted > 0
      ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, position = EXCLUDED.position, hash = EXCLUDED.hash
        WHERE s.revision = $11::bigint
      RETURNING 1)
    SELECT summary.inserted, summary.last::text AS last, (SELECT xid_before::text FROM section) AS xid_before,
      (SELECT count(*)::int FROM moved) AS moved, ${notify} IS NULL AS notified,
      pg_advisory_unlock($1, hashtext($2)) AS unlocked
    FROM summary`;
}

export function globalLockKey(names: SchemaNames): [number, string] {
  return [ADVISORY_LOCK_NAMESPACE, `append:${names.schema}`];
}

export async function writeInGlobalSection(
  client: ClientBase,
  names: SchemaNames,
  streamId: string,
  sealed: readonly SealedEvent[],
  previousRevision: bigint | undefined,
  notifyInTransaction: boolean,
): Promise<WriteOutcome> {
  const last = sealed[sealed.length - 1];
  if (last === undefined) throw new RangeError('nothing to write');
  const { rows } = await client.query<{
    inserted: number;
    last: string | null;
    xid_before: string | null;
    moved: number;
    unlocked: boolean;
  }>(writeSql(names, notifyInTransaction), [
    ...globalLockKey(names),
    streamId,
    sealed.map((event) => event.revision.toString()),
    sealed.map((event) => event.id),
    sealed.map((event) => event.type),
    sealed.map((event) => event.dataJson),
    sealed.map((event) => event.metadataJson),
    last.revision.toString(),
    last.hash,
    previousRevision?.toString() ?? null,
    names.channel,
  ]);
  const row = rows[0];
  if (row === undefined) throw new Error('the append statement returned no row');
  return {
    inserted: row.inserted,
    lastPosition: row.last === null ? undefined : BigInt(row.last),
    xidBefore: row.xid_before,
    moved: row.moved,
    unlocked: row.unlocked,
  };
}
