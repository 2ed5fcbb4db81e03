/**
 * Building blocks of postgres.bench.ts: the append plan and its concurrent writers, and the raw
 * node-postgres ceilings (the same rows into a bare table with the same constraints; the same pages
 * read without the reader horizon or any mapping).
 */
import { Client } from 'pg';
import type { EventRowOf, EventStore, NewEvent } from '@hz/event-store';

export type NotifyMode = 'in-transaction' | 'after-commit';

export interface PlannedCall {
  readonly stream: string;
  readonly events: NewEvent[];
}

/** A stored row without its position (node-postgres gives bigints as text). */
export type RawRow = Omit<EventRowOf<string>, 'position'>;

const STREAMS = 100;

export function eventsPerSecond(events: number, startedNs: bigint): number {
  return Math.round(events / (Number(process.hrtime.bigint() - startedNs) / 1e9));
}

/** `total` events over STREAMS streams, `perCall` per append. */
export function planCalls(
  prefix: string,
  total: number,
  perCall: number,
  makeEvent: (seed: string) => NewEvent,
): PlannedCall[] {
  const calls: PlannedCall[] = [];
  for (let call = 0; call * perCall < total; call += 1) {
    const events = Array.from({ length: perCall }, (_, index) =>
      makeEvent(`${prefix}-${call}-${index}`),
    );
    calls.push({ stream: `applicant-${prefix}-${call % STREAMS}`, events });
  }
  return calls;
}

/**
 * Appends the plan with `writers` concurrent writers, each owning whole streams (so they never conflict)
 * and appending with exact expected revisions; every writer stops once `budgetMs` has passed.
 */
export async function appendBatches(
  store: EventStore,
  calls: readonly PlannedCall[],
  writers: number,
  budgetMs: number,
): Promise<{ events: number; rate: number }> {
  const started = process.hrtime.bigint();
  const deadlineNs = started + BigInt(Math.min(budgetMs, 3_600_000)) * 1_000_000n;
  let appended = 0;
  const writer = async (index: number): Promise<void> => {
    const revisions = new Map<string, bigint>();
    for (const { stream, events } of calls.filter(
      (_, call) => (call % STREAMS) % writers === index,
    )) {
      const result = await store.appendToStream(stream, events, {
        expectedRevision: revisions.get(stream) ?? 'no_stream',
      });
      revisions.set(stream, result.nextRevision);
      appended += events.length;
      if (process.hrtime.bigint() > deadlineNs) return;
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));
  return { events: appended, rate: eventsPerSecond(appended, started) };
}

async function withClient<T>(
  connectionString: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function storedRows(connectionString: string, table: string): Promise<RawRow[]> {
  return withClient(connectionString, async (client) => {
    const { rows } = await client.query<RawRow>(
      `SELECT stream_id, revision, event_id, type, data::text AS data, metadata::text AS metadata FROM ${table} ORDER BY position`,
    );
    return rows;
  });
}

let rawCounter = 0;

/** The ceiling: the same rows into a bare table (same columns and unique constraints), `perCall` rows per transaction. */
export async function rawInsertThroughput(
  connectionString: string,
  rows: readonly RawRow[],
  perCall: number,
  writers: number,
): Promise<number> {
  rawCounter += 1;
  const table = `bench_raw.events_${rawCounter}`;
  await withClient(connectionString, async (client) => {
    await client.query('CREATE SCHEMA IF NOT EXISTS bench_raw');
    await client.query(`CREATE TABLE ${table} (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text NOT NULL,
      revision bigint NOT NULL, event_id text NOT NULL UNIQUE, type text NOT NULL, data json NOT NULL, metadata json NOT NULL,
      tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(), UNIQUE (stream_id, revision))`);
  });
  const chunks: RawRow[][] = [];
  for (let offset = 0; offset < rows.length; offset += perCall)
    chunks.push(rows.slice(offset, offset + perCall));
  const started = process.hrtime.bigint();
  const writer = (index: number): Promise<void> =>
    withClient(connectionString, async (client) => {
      for (const chunk of chunks.filter((_, position) => position % writers === index)) {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO ${table} (stream_id, revision, event_id, type, data, metadata)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::json[], $6::json[])`,
          [
            chunk.map((row) => row.stream_id),
            chunk.map((row) => row.revision),
            chunk.map((row) => row.event_id),
            chunk.map((row) => row.type),
            chunk.map((row) => row.data),
            chunk.map((row) => row.metadata),
          ],
        );
        await client.query('COMMIT');
      }
    });
  await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));
  return eventsPerSecond(rows.length, started);
}

/** The read ceiling: the same pages by position, without the horizon CTE, JSON parsing or mapping. */
export function rawReadThroughput(connectionString: string, table: string): Promise<number> {
  return withClient(connectionString, async (client) => {
    let fromPosition = '0';
    let events = 0;
    const started = process.hrtime.bigint();
    for (let page = 0; page < 1_000_000; page += 1) {
      const { rows } = await client.query<{ position: string }>(
        `SELECT position, stream_id, revision, event_id, type, data::text, metadata::text FROM ${table} WHERE position > $1 ORDER BY position LIMIT 1000`,
        [fromPosition],
      );
      const last = rows[rows.length - 1];
      if (last === undefined) break;
      events += rows.length;
      fromPosition = last.position;
    }
    return eventsPerSecond(events, started);
  });
}
