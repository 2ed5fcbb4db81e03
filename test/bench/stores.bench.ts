/**
 * The service's two store configurations side by side (issue 6), figures only: the same workload through
 * the calls ledger-api and apps/projector make (createEventStore and openReadStore, chosen by config),
 * once on the embedded SQLite files and once on PostgreSQL (a throwaway database).
 *
 *   append   one event per call as a command appends it, by 1 writer and by 8 concurrent writers on
 *            distinct streams, then 100 per call; durable commits on both sides (SQLite synchronous=FULL,
 *            PostgreSQL synchronous_commit as the server has it, on by default); each figure stops after
 *            APPEND_BUDGET_MS.
 *   rebuild  one generated ledger of BENCH_EVENTS events (default 20,000) loaded into each event store
 *            (untimed, commits not waited for, at most LOAD_BUDGET_MS), then every read model rebuilt from
 *            position 0 into a fresh generation of the configured read store, as the projector does.
 *
 *   BENCH_EVENTS=50000 node -r @swc-node/register test/bench/stores.bench.ts
 *   (PostgreSQL: LEDGER_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  createEventStore,
  createThrowawayDatabase,
  type EventStore,
  type EventStoreConfig,
  type JsonObject,
} from '@hz/event-store';
import { testEvent } from '@hz/event-store/testing';
import {
  openReadStore,
  PROJECTION_SCHEMA_VERSION,
  ProjectionRunner,
  readSideConfigFromEnv,
} from '@hz/projections';
import { generateEvents, seededRandom, SettableClock } from '../../libs/projections/src/testing';
import { appendBatches, eventsPerSecond, planCalls } from './postgres-bench-helpers';

const APPEND_BUDGET_MS = 10_000;
const LOAD_BUDGET_MS = 90_000;
const WRITERS = 8;
const APPEND_SIZES = { single: 2000, concurrent: 4000, batched: 20_000, batchSize: 100 } as const;

type Backend = 'sqlite' | 'postgres';

/** Where one backend keeps its data: the environment the service would be started with. */
interface Target {
  readonly backend: Backend;
  readonly env: Record<string, string>;
}

interface Row {
  readonly figure: string;
  readonly events: Record<Backend, number>;
  readonly eventsPerSecond: Record<Backend, number>;
}

let storeCounter = 0;

/** A fresh event store of the target's kind, as the factory opens it from the service's configuration. */
function freshEventStoreConfig(
  target: Target,
  options: { readonly durable: boolean; readonly clock?: SettableClock },
): EventStoreConfig {
  storeCounter += 1;
  if (target.backend === 'sqlite') {
    const file = join(target.env['LEDGER_DATA_DIR'] ?? '.', `events-${storeCounter}.db`);
    return {
      kind: 'sqlite',
      file,
      synchronous: options.durable ? 'FULL' : 'NORMAL',
      clock: options.clock,
    };
  }
  const url = new URL(target.env['DATABASE_URL'] ?? '');
  if (!options.durable) url.searchParams.set('options', '-c synchronous_commit=off');
  return {
    kind: 'postgres',
    connectionString: url.toString(),
    schema: `bench_events_${storeCounter}`,
    clock: options.clock,
  };
}

async function appendRate(
  target: Target,
  name: string,
  total: number,
  perCall: number,
  writers: number,
): Promise<{ events: number; rate: number }> {
  const store = await createEventStore(freshEventStoreConfig(target, { durable: true }));
  try {
    return await appendBatches(
      store,
      planCalls(name, total, perCall, (seed) => testEvent(seed)),
      writers,
      APPEND_BUDGET_MS,
    );
  } finally {
    await store.close();
  }
}

/** Loads the generated ledger one event per call (its own stream order), stopping after LOAD_BUDGET_MS. */
async function loadLedger(store: EventStore, clock: SettableClock, total: number): Promise<number> {
  const deadline = Date.now() + LOAD_BUDGET_MS;
  let loaded = 0;
  for (const event of generateEvents(seededRandom(42), total, { activeApplicants: 200 })) {
    clock.set(event.recordedAt);
    await store.appendToStream(
      event.streamId,
      [
        {
          id: event.id,
          type: event.type,
          data: event.data as JsonObject,
          metadata: event.metadata,
        },
      ],
      { expectedRevision: 'any' },
    );
    loaded += 1;
    if (Date.now() > deadline) break;
  }
  return loaded;
}

async function rebuildRate(
  target: Target,
  total: number,
): Promise<{ events: number; rate: number }> {
  const clock = new SettableClock();
  const events = await createEventStore(freshEventStoreConfig(target, { durable: false, clock }));
  const reads = await openReadStore(readSideConfigFromEnv(target.env));
  try {
    const loaded = await loadLedger(events, clock, total);
    const { generation } = await reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    const started = process.hrtime.bigint();
    const checkpoint = await new ProjectionRunner(events, reads, generation).catchUp();
    const rate = eventsPerSecond(loaded, started);
    if (checkpoint.position !== (await events.headPosition()))
      throw new Error(`rebuild stopped at ${checkpoint.position}`);
    return { events: loaded, rate };
  } finally {
    await reads.close();
    await events.close();
  }
}

async function figuresOf(
  target: Target,
  rebuildEvents: number,
  log: (line: string) => void,
): Promise<Array<{ figure: string; events: number; rate: number }>> {
  const figures = [
    {
      figure: 'append 1 event/call, 1 writer',
      ...(await appendRate(target, 'single', APPEND_SIZES.single, 1, 1)),
    },
    {
      figure: `append 1 event/call, ${WRITERS} writers`,
      ...(await appendRate(target, 'concurrent', APPEND_SIZES.concurrent, 1, WRITERS)),
    },
    {
      figure: `append ${APPEND_SIZES.batchSize} events/call`,
      ...(await appendRate(target, 'batched', APPEND_SIZES.batched, APPEND_SIZES.batchSize, 1)),
    },
    { figure: 'rebuild every read model', ...(await rebuildRate(target, rebuildEvents)) },
  ];
  log(`  done: ${target.backend}`);
  return figures;
}

async function postgresSettings(connectionString: string): Promise<string> {
  const pool = new Pool({ connectionString, max: 1 });
  try {
    const { rows } = await pool.query<{ version: string; sync: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync",
    );
    return `PostgreSQL ${rows[0]?.version ?? '?'} synchronous_commit=${rows[0]?.sync ?? '?'}`;
  } finally {
    await pool.end();
  }
}

export async function runStoresBench(
  rebuildEvents: number,
  log: (line: string) => void = (line) => console.log(line),
): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stores-bench-'));
  const database = await createThrowawayDatabase('ledger_bench_stores');
  try {
    const sqlite: Target = {
      backend: 'sqlite',
      env: { LEDGER_DATA_DIR: dataDir, LEDGER_EVENT_STORE: 'sqlite', LEDGER_READ_STORE: 'sqlite' },
    };
    const postgres: Target = {
      backend: 'postgres',
      env: {
        LEDGER_DATA_DIR: dataDir,
        LEDGER_EVENT_STORE: 'postgres',
        LEDGER_READ_STORE: 'postgres',
        DATABASE_URL: database.connectionString,
      },
    };
    const left = await figuresOf(sqlite, rebuildEvents, log);
    const right = await figuresOf(postgres, rebuildEvents, log);
    const rows = left.map((figure, index) => {
      const other = right[index];
      if (other === undefined) throw new Error('the two backends measured different figures');
      return {
        figure: figure.figure,
        events: { sqlite: figure.events, postgres: other.events },
        eventsPerSecond: { sqlite: figure.rate, postgres: other.rate },
      };
    });
    printTable(rows, await postgresSettings(database.connectionString), log);
    return rows;
  } finally {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printTable(rows: readonly Row[], server: string, log: (line: string) => void): void {
  const header = [
    'figure',
    'sqlite events',
    'sqlite ev/s',
    'postgres events',
    'postgres ev/s',
    'postgres/sqlite',
  ];
  const cells = rows.map((row) => [
    row.figure,
    String(row.events.sqlite),
    String(row.eventsPerSecond.sqlite),
    String(row.events.postgres),
    String(row.eventsPerSecond.postgres),
    `${Math.round((100 * row.eventsPerSecond.postgres) / Math.max(1, row.eventsPerSecond.sqlite))}%`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => (row[column] ?? '').length)),
  );
  const format = (line: readonly string[]): string =>
    line
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  log(
    `stores benchmark: the service's configurations side by side (SQLite synchronous=FULL; ${server}; node ${process.version})`,
  );
  log(format(header));
  for (const line of cells) log(format(line));
  log(JSON.stringify({ bench: 'stores', rows }));
}

if (require.main === module) {
  const rebuildEvents = Number(process.env['BENCH_EVENTS'] ?? '20000');
  if (!Number.isSafeInteger(rebuildEvents) || rebuildEvents < 100)
    throw new Error('BENCH_EVENTS must be an integer ≥ 100');
  runStoresBench(rebuildEvents).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
