/**
 * Group commit on PostgreSQL (issue 12, ../group-commit.ts): the appends of one event-loop turn in one
 * transaction on one connection, so one commit (one WAL flush) per batch. Check, then insert:
 *
 * 1. The per-stream advisory locks of every stream of the batch, in one statement, in lock-key order (two
 *    batches never wait on each other in a cycle; a single append takes one stream lock, then the global
 *    section, and never waits for a stream lock while holding it).
 * 2. Each append's own checks in submission order, against the stored heads and the heads the batch's
 *    earlier appends will leave: idempotent replay, expected revision, conditions on other streams
 *    (locked in step 1 too), empty call. A refused append
 *    writes nothing and fails alone; nothing is written before every check is done.
 * 3. One global-section statement (./append.ts explains why the xid must be born inside it) inserting the
 *    events of every remaining append and moving their stream heads (compare-and-set on the revision each
 *    check saw), then COMMIT. Every caller is answered only after it.
 *
 * If anything fails as a whole (a concurrent append of the same event id elsewhere, a lost connection),
 * the batch is rolled back and each append is retried alone on the one-append path, which classifies it.
 */
import type { ClientBase } from 'pg';
import { checkConditions, checkExpectedRevision } from '../append-guards';
import type { Settled } from '../group-commit';
import { GENESIS_PREV_HASH } from '../hash-chain';
import type { AppendOptions, AppendResult, Clock, NewEvent } from '../port';
import { globalLockKey, readStreamsState, type StreamHead } from './append-sql';
import type { SchemaNames } from './schema';
import { findReplay, sealEvents, type SealedEvent } from './sealed-events';

export interface BatchRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly options: AppendOptions;
}

export interface BatchOutcome {
  /** Per request, in order: its result or its own refusal. */
  readonly settled: Settled<AppendResult>[];
  readonly appended: boolean;
}

/** A request the checks passed: what it writes, and where its stream stood when checked. */
interface Planned {
  readonly index: number;
  readonly streamId: string;
  readonly sealed: SealedEvent[];
  readonly previous: bigint | undefined;
}

/** Thrown when the batch must be retried append by append (its transaction is rolled back by the caller). */
export class BatchNeedsSingleAppends extends Error {
  constructor(reason: string) {
    super(`group commit fell back to single appends: ${reason}`);
    this.name = 'BatchNeedsSingleAppends';
  }
}

/** Runs steps 1–3 on `client` inside an open transaction that has not written; the caller commits. */
export async function appendBatchWithinTransaction(
  client: ClientBase,
  names: SchemaNames,
  clock: Clock,
  requests: readonly BatchRequest[],
  notifyInTransaction: boolean,
): Promise<BatchOutcome> {
  // Condition streams (issue 12) are locked and read like the appended ones: they cannot move before COMMIT.
  const streamIds = [
    ...new Set(
      requests.flatMap((request) => [
        request.streamId,
        ...(request.options.conditions ?? []).map((condition) => condition.streamId),
      ]),
    ),
  ];
  // OFFSET 0 keeps the sorted subquery apart, so the locks are taken row by row in key order.
  await client.query(
    `SELECT pg_advisory_xact_lock(k) FROM (
       SELECT DISTINCT hashtextextended($1 || '/' || s, 0) AS k FROM unnest($2::text[]) AS s ORDER BY k OFFSET 0
     ) AS sorted`,
    [names.schema, streamIds],
  );
  // One round trip for every stored head and every already-stored id of the batch.
  const stored = await readStreamsState(
    client,
    names,
    streamIds,
    requests.flatMap((request) => request.events.map((event) => event.id)),
  );
  const heads = new Map<string, StreamHead | undefined>(stored.heads);
  const idsInBatch = new Set<string>();
  const settled: (Settled<AppendResult> | undefined)[] = [];
  const planned: Planned[] = [];
  const recordedAt = clock.now().toISOString();
  for (const [index, request] of requests.entries()) {
    const { streamId, events } = request;
    // An id this batch writes already: a replay of it needs the position it will get. Rare; alone is simpler.
    if (events.some((event) => idsInBatch.has(event.id)))
      throw new BatchNeedsSingleAppends('an event id repeats within the batch');
    const head = heads.get(streamId);
    try {
      const replayed = findReplay(streamId, events, stored.stored);
      if (replayed !== undefined) {
        settled[index] = { ok: true, value: replayed };
        continue;
      }
      checkExpectedRevision(streamId, request.options.expectedRevision, head?.revision);
      // Against the stored heads and what the batch's earlier appends leave: as if run one by one.
      checkConditions(request.options.conditions, (other) => heads.get(other)?.revision);
    } catch (error) {
      settled[index] = { ok: false, error };
      continue;
    }
    if (events.length === 0) {
      settled[index] = {
        ok: true,
        value: { nextRevision: head?.revision ?? -1n, position: head?.position ?? 0n },
      };
      continue;
    }
    const sealed = sealEvents(
      streamId,
      { revision: head?.revision, hash: head?.hash ?? GENESIS_PREV_HASH },
      recordedAt,
      events,
    );
    const last = sealed[sealed.length - 1];
    if (last === undefined) continue;
    planned.push({ index, streamId, sealed, previous: head?.revision });
    // The position is known after the insert; later checks of this stream need only revision and hash.
    heads.set(streamId, { revision: last.revision, position: 0n, hash: last.hash });
    for (const event of events) idsInBatch.add(event.id);
  }
  if (planned.length > 0) {
    const positions = await writeBatchInGlobalSection(client, names, planned, notifyInTransaction);
    for (const plan of planned) {
      const last = plan.sealed[plan.sealed.length - 1];
      const position = last === undefined ? undefined : positions.get(last.id);
      if (last === undefined || position === undefined)
        throw new BatchNeedsSingleAppends(`no position for an event of ${plan.streamId}`);
      settled[plan.index] = { ok: true, value: { nextRevision: last.revision, position } };
    }
  }
  return {
    settled: requests.map(
      (_, index) =>
        settled[index] ?? { ok: false, error: new Error(`append ${index} of a batch not settled`) },
    ),
    appended: planned.length > 0,
  };
}

/**
 * The global section for a whole batch, one statement like ./append-sql.ts's: lock, insert every event
 * (xid and positions drawn together), create new streams and move existing heads with a compare-and-set,
 * notify, unlock. Each stream's head row is written once: its last planned append carries the head.
 */
async function writeBatchInGlobalSection(
  client: ClientBase,
  names: SchemaNames,
  planned: readonly Planned[],
  notifyInTransaction: boolean,
): Promise<Map<string, bigint>> {
  const rows = planned.flatMap((plan) =>
    plan.sealed.map((event) => ({ streamId: plan.streamId, event })),
  );
  // Per stream: the revision its first planned append saw, and the last event the batch leaves on it.
  const streams = new Map<string, { previous: bigint | undefined; last: SealedEvent }>();
  for (const plan of planned) {
    const last = plan.sealed[plan.sealed.length - 1];
    if (last === undefined) continue;
    const seen = streams.get(plan.streamId);
    streams.set(plan.streamId, { previous: seen ? seen.previous : plan.previous, last });
  }
  const heads = [...streams.entries()];
  const notify = notifyInTransaction ? 'pg_notify($14, summary.last::text)' : '$14::text';
  const { rows: result } = await client.query<{
    inserted: number;
    last: string | null;
    xid_before: string | null;
    moved: number;
    ids: string[] | null;
    positions: string[] | null;
    unlocked: boolean;
  }>(
    `WITH section AS MATERIALIZED (
      SELECT pg_advisory_lock($1, hashtext($2)) AS locked, pg_current_xact_id_if_assigned() AS xid_before),
    inserted AS (
      INSERT INTO ${names.events} (stream_id, revision, event_id, type, data, metadata)
      SELECT e.stream_id, e.revision, e.event_id, e.type, e.data::json, e.metadata::json
      FROM section, unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY
        AS e(stream_id, revision, event_id, type, data, metadata, ordinal)
      WHERE section.xid_before IS NULL
      ORDER BY e.ordinal
      RETURNING event_id, position),
    summary AS MATERIALIZED (
      SELECT count(*)::int AS inserted, max(position) AS last,
        array_agg(event_id ORDER BY position) AS ids, array_agg(position::text ORDER BY position) AS positions
      FROM inserted),
    heads AS (
      SELECT h.stream_id, h.revision, h.hash, h.previous, i.position
      FROM unnest($9::text[], $10::bigint[], $11::text[], $12::text[], $13::bigint[])
        AS h(stream_id, revision, last_event_id, hash, previous)
      JOIN inserted AS i ON i.event_id = h.last_event_id),
    created AS (
      INSERT INTO ${names.streams} (stream_id, revision, position, hash)
      SELECT stream_id, revision, position, hash FROM heads WHERE previous IS NULL
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING 1),
    updated AS (
      UPDATE ${names.streams} AS s SET revision = heads.revision, position = heads.position, hash = heads.hash
      FROM heads WHERE heads.previous IS NOT NULL AND s.stream_id = heads.stream_id AND s.revision = heads.previous
      RETURNING 1)
    SELECT summary.inserted, summary.last::text AS last, (SELECT xid_before::text FROM section) AS xid_before,
      ((SELECT count(*) FROM created) + (SELECT count(*) FROM updated))::int AS moved,
      summary.ids, summary.positions, ${notify} IS NULL AS notified,
      pg_advisory_unlock($1, hashtext($2)) AS unlocked
    FROM summary`,
    [
      ...globalLockKey(names),
      rows.map((row) => row.streamId),
      rows.map((row) => row.event.revision.toString()),
      rows.map((row) => row.event.id),
      rows.map((row) => row.event.type),
      rows.map((row) => row.event.dataJson),
      rows.map((row) => row.event.metadataJson),
      heads.map(([streamId]) => streamId),
      heads.map(([, head]) => head.last.revision.toString()),
      heads.map(([, head]) => head.last.id),
      heads.map(([, head]) => head.last.hash),
      heads.map(([, head]) => head.previous?.toString() ?? null),
      names.channel,
    ],
  );
  const row = result[0];
  if (row === undefined) throw new BatchNeedsSingleAppends('the batch statement returned no row');
  if (row.xid_before !== null)
    throw new Error(
      `batch transaction already had xid ${row.xid_before} before its global section`,
    );
  if (!row.unlocked) throw new Error('the global append lock was not held at unlock');
  if (row.inserted !== rows.length)
    throw new BatchNeedsSingleAppends(`inserted ${row.inserted} of ${rows.length} events`);
  // The stream locks exclude other writers; a head that did not move means something bypassed them.
  if (row.moved !== heads.length)
    throw new BatchNeedsSingleAppends(`moved ${row.moved} of ${heads.length} stream heads`);
  const positions = new Map<string, bigint>();
  (row.ids ?? []).forEach((id, index) => {
    const position = row.positions?.[index];
    if (position !== undefined) positions.set(id, BigInt(position));
  });
  return positions;
}
