/**
 * The streaming read (issue 13) on real stores: SQLite (a file, and in memory) and PostgreSQL return
 * exactly what paging through readAll returns, as stored texts, in position order or stream by stream,
 * within the bounds asked for, in batches of the size asked for; a reader left early releases its cursor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@hz/kernel';
import type { EventStore, RecordedEvent } from './port';
import { createThrowawayDatabase, type ThrowawayDatabase } from './postgres/throwaway-database';
import { openPostgresEventStore } from './postgres/postgres-event-store';
import { openSqliteEventStore } from './sqlite/sqlite-event-store';
import {
  hasRawReads,
  rawRowOf,
  readAllRawOf,
  type RawEventRow,
  type ReadAllRawOptions,
} from './stream-read';
import { FixedClock, testEvents } from './testing';

const directory = mkdtempSync(join(tmpdir(), 'stream-read-'));
let database: ThrowawayDatabase;
beforeAll(async () => {
  database = await createThrowawayDatabase('ledger_stream_read');
});
afterAll(async () => {
  await database.drop();
  rmSync(directory, { recursive: true, force: true });
});

const STREAMS = ['s-b', 's-a', 's-c'];

/** Three streams whose appends interleave, so position order and stream order differ. */
async function fill(store: EventStore): Promise<void> {
  for (let round = 0; round < 4; round += 1)
    for (const stream of STREAMS)
      await store.appendToStream(stream, testEvents(`${stream}-${round}`, 2), {
        expectedRevision: round === 0 ? 'no_stream' : BigInt(2 * round - 1),
      });
}

async function everyEvent(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ fromPosition: events.at(-1)?.position ?? 0n, maxCount: 5 });
    events.push(...page);
    if (page.length < 5) return events;
  }
}

async function collect(
  source: AsyncIterable<readonly RawEventRow[]>,
): Promise<{ rows: RawEventRow[]; batches: number[] }> {
  const rows: RawEventRow[] = [];
  const batches: number[] = [];
  for await (const batch of source) {
    batches.push(batch.length);
    rows.push(...batch);
  }
  return { rows, batches };
}

const stores: Array<[string, () => Promise<EventStore>]> = [
  [
    'SQLite file',
    () => openSqliteEventStore({ file: join(directory, 'ledger.db'), clock: new FixedClock() }),
  ],
  ['SQLite in memory', () => openSqliteEventStore({ file: ':memory:', clock: new FixedClock() })],
  [
    'PostgreSQL',
    () =>
      openPostgresEventStore({
        connectionString: database.connectionString,
        schema: 'stream_read',
        clock: new FixedClock(),
      }),
  ],
];

describe.each(stores)('readAllRaw on %s', (_name, open) => {
  let store: EventStore;
  let all: RecordedEvent[];
  beforeAll(async () => {
    store = await open();
    await fill(store);
    all = await everyEvent(store);
  });
  afterAll(() => store.close());

  const read = (options: ReadAllRawOptions) => collect(readAllRawOf(store, options));

  it('is offered by the adapter', () => expect(hasRawReads(store)).toBe(true));

  it('returns the stored texts of every event in position order, in batches', async () => {
    const { rows, batches } = await read({ batchSize: 7 });
    expect(all).toHaveLength(24);
    expect(rows).toEqual(all.map(rawRowOf));
    expect(batches).toEqual([7, 7, 7, 3]);
    // The texts are the stored canonical JSON, not a re-serialisation that happens to parse the same.
    for (const row of rows) expect(canonicalJson(JSON.parse(row.data))).toBe(row.data);
  });

  it('returns each stream whole, by stream id then revision, within the bounds', async () => {
    const from = all[2]?.position ?? 0n;
    const until = all[20]?.position ?? 0n;
    const { rows } = await read({ order: 'stream', fromPosition: from, untilPosition: until });
    const expected = all
      .filter((event) => event.position > from && event.position <= until)
      .sort((a, b) =>
        a.streamId === b.streamId
          ? Number(a.revision - b.revision)
          : a.streamId < b.streamId
            ? -1
            : 1,
      )
      .map(rawRowOf);
    expect(rows).toEqual(expected);
    expect(rows.map((row) => row.streamId)[0]).toBe('s-a');
  });

  it('pages stream order across batch boundaries without losing or repeating a row', async () => {
    const { rows } = await read({ order: 'stream', batchSize: 3 });
    expect(rows).toHaveLength(24);
    expect(new Set(rows.map((row) => row.id)).size).toBe(24);
  });

  it('releases its cursor when the consumer stops early, and the store reads on', async () => {
    for await (const batch of readAllRawOf(store, { batchSize: 2 })) {
      expect(batch).toHaveLength(2);
      break;
    }
    expect((await read({})).rows).toHaveLength(24);
    await store.appendToStream('s-d', testEvents('s-d', 1), { expectedRevision: 'no_stream' });
    expect(await store.headPosition()).toBe((all.at(-1)?.position ?? 0n) + 1n);
  });
});

describe('readAllRawOf on a store without a streaming read', () => {
  it('pages through readAll in position order and refuses stream order', async () => {
    const store = await openSqliteEventStore({ file: ':memory:', clock: new FixedClock() });
    try {
      await fill(store);
      const plain = { readAll: store.readAll.bind(store) };
      const all = await everyEvent(store);
      const until = all[10]?.position ?? 0n;
      const { rows, batches } = await collect(
        readAllRawOf(plain, { batchSize: 4, untilPosition: until }),
      );
      expect(rows).toEqual(all.slice(0, 11).map(rawRowOf));
      expect(batches).toEqual([4, 4, 3]);
      expect(() => readAllRawOf(plain, { order: 'stream' })).toThrow(/stream order/);
    } finally {
      await store.close();
    }
  });
});
