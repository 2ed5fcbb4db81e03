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
import { checkConditions, checkExpectedRevision, recordValueOf } from '../append-guards';
import type { Settled } from '../group-commit';
import { GENESIS_PREV_HASH } from '../hash-chain';
import { canonicalJson } from '@hz/kernel';
import { RecordConflict } from '../errors';
import type { AppendOptions, AppendRecord, AppendResult, Clock, NewEvent } from '../port';
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

/** A part of a request the checks passed: what it writes, and where its stream stood when checked. */
interface Planned {
  readonly index: number;
  /** The request's own stream (else one of its appends alongside, port.ts AppendOptions.alongside). */
  readonly main: boolean;
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

/**
 * Every stream a request appends to: those alongside (issue 12) first, its own last, so that its own
 * position, the one the caller is answered with, is the last of the request's (as on SQLite).
 */
function partsOf(request: BatchRequest) {
  return [
    ...(request.options.alongside ?? []).map((other) => ({
      ...other,
      conditions: undefined,
      main: false,
    })),
    {
      streamId: request.streamId,
      events: request.events,
      expectedRevision: request.options.expectedRevision,
      conditions: request.options.conditions,
      main: true,
    },
  ];
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
        ...partsOf(request).map((part) => part.streamId),
        ...(request.options.conditions ?? []).map((condition) => condition.streamId),
      ]),
    ),
  ];
  const recordKeys = [...new Set(requests.flatMap((request) => request.options.record?.key ?? []))];
  // OFFSET 0 keeps the sorted subquery apart, so the locks are taken row by row in key order. Record
  // keys are locked too (hashed with another seed than stream ids), so their check holds until COMMIT.
  await client.query(
    `SELECT pg_advisory_xact_lock(k) FROM (
       SELECT DISTINCT k FROM (
         SELECT hashtextextended($1 || '/' || s, 0) AS k FROM unnest($2::text[]) AS s
         UNION ALL SELECT hashtextextended($1 || '/' || r, 1) FROM unnest($3::text[]) AS r) AS keys
       ORDER BY k OFFSET 0
     ) AS sorted`,
    [names.schema, streamIds, recordKeys],
  );
  // One round trip for every stored head and every already-stored id of the batch.
  const stored = await readStreamsState(
    client,
    names,
    streamIds,
    requests.flatMap((request) =>
      partsOf(request).flatMap((part) => part.events.map((event) => event.id)),
    ),
  );
  const records = await readRecords(client, names, recordKeys);
  const heads = new Map<string, StreamHead | undefined>(stored.heads);
  const idsInBatch = new Set<string>();
  const settled: (Settled<AppendResult> | undefined)[] = [];
  const planned: Planned[] = [];
  const recordsToWrite: { readonly index: number; readonly record: AppendRecord }[] = [];
  const recordedAt = clock.now().toISOString();
  for (const [index, request] of requests.entries()) {
    // An id this batch writes already: a replay of it needs the position it will get. Rare; alone is simpler.
    if (partsOf(request).some((part) => part.events.some((event) => idsInBatch.has(event.id))))
      throw new BatchNeedsSingleAppends('an event id repeats within the batch');
    // The request's parts see each other's heads; only when all pass do they reach the batch's.
    const local = new Map<string, StreamHead | undefined>();
    const headOf = (id: string) => (local.has(id) ? local.get(id) : heads.get(id));
    const plans: Planned[] = [];
    let result: AppendResult | undefined;
    try {
      for (const { streamId, events, expectedRevision, conditions, main } of partsOf(request)) {
        const head = headOf(streamId);
        const replayed = findReplay(streamId, events, stored.stored);
        if (replayed !== undefined) {
          if (main) result = replayed;
          continue;
        }
        checkExpectedRevision(streamId, expectedRevision, head?.revision);
        // Against the stored heads and what the batch's earlier appends leave: as if run one by one.
        checkConditions(conditions, (other) => headOf(other)?.revision);
        if (events.length === 0) {
          if (main)
            result = { nextRevision: head?.revision ?? -1n, position: head?.position ?? 0n };
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
        plans.push({ index, main, streamId, sealed, previous: head?.revision });
        // The position is known after the insert; later checks of this stream need only revision and hash.
        local.set(streamId, { revision: last.revision, position: 0n, hash: last.hash });
      }
      const record = request.options.record;
      if (record !== undefined) {
        const existing = records.get(record.key);
        if (existing === undefined) {
          // Written after the global section, when the request's own result (its position) is known.
          records.set(record.key, PENDING);
          recordsToWrite.push({ index, record });
        } else if (
          existing === PENDING ||
          result === undefined ||
          existing !== canonicalJson(recordValueOf(record, result))
        )
          // Taken in this batch, or new events under a key already recorded, or another value.
          throw new RecordConflict(record.key);
      }
    } catch (error) {
      settled[index] = { ok: false, error };
      continue;
    }
    if (result !== undefined) settled[index] = { ok: true, value: result };
    for (const [streamId, head] of local) heads.set(streamId, head);
    for (const plan of plans) {
      planned.push(plan);
      for (const event of plan.sealed) idsInBatch.add(event.id);
    }
  }
  if (planned.length > 0) {
    const positions = await writeBatchInGlobalSection(client, names, planned, notifyInTransaction);
    for (const plan of planned) {
      const last = plan.sealed[plan.sealed.length - 1];
      const position = last === undefined ? undefined : positions.get(last.id);
      if (last === undefined || position === undefined)
        throw new BatchNeedsSingleAppends(`no position for an event of ${plan.streamId}`);
      if (plan.main)
        settled[plan.index] = { ok: true, value: { nextRevision: last.revision, position } };
    }
  }
  // After the global section (the xid must be born inside it, ./append.ts): same transaction, same commit.
  if (recordsToWrite.length > 0) {
    const values = recordsToWrite.map(({ index, record }) => {
      const own = settled[index];
      if (own?.ok !== true) throw new BatchNeedsSingleAppends(`no result for record ${record.key}`);
      return canonicalJson(recordValueOf(record, own.value));
    });
    const { rowCount } = await client.query(
      `INSERT INTO ${names.records} (key, value)
       SELECT k, v::json FROM unnest($1::text[], $2::text[]) AS r(k, v)`,
      [recordsToWrite.map(({ record }) => record.key), values],
    );
    if (rowCount !== recordsToWrite.length)
      throw new BatchNeedsSingleAppends(`inserted ${rowCount} of ${recordsToWrite.length} records`);
  }
  return {
    settled: requests.map(
      (_, index) =>
        settled[index] ?? { ok: false, error: new Error(`append ${index} of a batch not settled`) },
    ),
    appended: planned.length > 0,
  };
}

/** A record key this batch writes (its value is known only after the global section). */
const PENDING = '\u0001pending';

/** The stored records under `keys` (canonical JSON text), one query. */
async function readRecords(
  client: ClientBase,
  names: SchemaNames,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (keys.length === 0) return found;
  const { rows } = await client.query<{ key: string; value: string }>(
    `SELECT key, value::text AS value FROM ${names.records} WHERE key = ANY($1::text[])`,
    [keys],
  );
  for (const row of rows) found.set(row.key, row.value);
  return found;
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
