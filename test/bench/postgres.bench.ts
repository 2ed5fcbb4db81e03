/**
 * PostgreSQL event store benchmark (figures only, no assertions), printed like event-store.bench.ts so
 * the two tables sit side by side: append throughput one event per call (one writer and 8 concurrent
 * writers) and 100 per call, and readAll throughput, for both notification modes. Beside each store
 * figure stands the raw node-postgres rate for the same rows, table and transaction granularity: the
 * ceiling, so the table shows what locking, hashing, canonical JSON and the checks cost. Commits are
 * durable (synchronous_commit=on), like SQLite's synchronous=FULL. Last, a rebuild of every read model
 * from the PostgreSQL log into a PostgreSQL read store (raw: the same log evolved in memory only).
 *
 *   node -r @swc-node/register test/bench/postgres.bench.ts [--quick]
 *   (server: LEDGER_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres; a throwaway
 *   database is created and dropped)
 */
import { Pool } from 'pg';
import {
  createThrowawayDatabase,
  openPostgresEventStore,
  type PostgresEventStore,
  type ThrowawayDatabase,
} from '@hz/event-store';
import { testEvent } from '@hz/event-store/testing';
import { rebuildFigure } from './postgres-bench-rebuild';
import {
  appendBatches,
  eventsPerSecond,
  planCalls,
  rawInsertThroughput,
  rawReadThroughput,
  storedRows,
  type NotifyMode,
} from './postgres-bench-helpers';

export interface PostgresBenchOptions {
  readonly modes?: readonly NotifyMode[];
  /** Events appended one per call by one writer (per mode). */
  readonly singleEvents?: number;
  /** Events appended one per call by `writers` concurrent writers (per mode). */
  readonly concurrentEvents?: number;
  readonly writers?: number;
  /** Events appended one per call by 64 concurrent writers, group commit on and off (issue 12). */
  readonly concurrent64Events?: number;
  /** Events appended `batchSize` per call (per mode). */
  readonly batchedEvents?: number;
  readonly batchSize?: number;
  /** Events in the log that readAll pages through. */
  readonly readEvents?: number;
  /** Events of the generated ledger rebuilt into a PostgreSQL read-store generation. */
  readonly rebuildEvents?: number;
  /** An append measurement stops early after this long, so a slow disk cannot stretch the run. */
  readonly appendBudgetMs?: number;
  readonly log?: (line: string) => void;
}

export interface PostgresBenchFigure {
  readonly benchmark: string;
  readonly notify: NotifyMode;
  readonly events: number;
  readonly eventsPerCall: number;
  readonly writers: number;
  readonly storeEventsPerSecond: number;
  readonly rawEventsPerSecond: number;
}

interface Plan {
  readonly database: ThrowawayDatabase;
  readonly budgetMs: number;
}

let schemaCounter = 0;

async function openStore(
  plan: Plan,
  notify: NotifyMode,
  poolSize: number,
  groupCommit = true,
): Promise<PostgresEventStore> {
  schemaCounter += 1;
  return openPostgresEventStore({
    connectionString: plan.database.connectionString,
    schema: `bench_${schemaCounter}`,
    notify,
    poolSize,
    groupCommit,
  });
}

async function appendFigure(
  plan: Plan,
  notify: NotifyMode,
  name: string,
  total: number,
  perCall: number,
  writers: number,
  groupCommit = true,
  /** The raw ceiling's transaction size and connections (default: as the store was driven). */
  raw: { readonly perCall: number; readonly writers: number } = { perCall, writers },
): Promise<PostgresBenchFigure> {
  // At most the service's default pool of 10 connections.
  const store = await openStore(plan, notify, Math.min(writers + 2, 10), groupCommit);
  const calls = planCalls(name, total, perCall, (seed) => testEvent(seed));
  const { events, rate } = await appendBatches(store, calls, writers, plan.budgetMs);
  const rows = await storedRows(plan.database.connectionString, store.names.events);
  await store.close();
  const rawRate = await rawInsertThroughput(
    plan.database.connectionString,
    rows,
    raw.perCall,
    raw.writers,
  );
  return {
    benchmark: name,
    notify,
    events,
    eventsPerCall: perCall,
    writers,
    storeEventsPerSecond: rate,
    rawEventsPerSecond: rawRate,
  };
}

async function readFigure(
  plan: Plan,
  notify: NotifyMode,
  total: number,
): Promise<PostgresBenchFigure> {
  const store = await openStore(plan, notify, 4);
  await appendBatches(
    store,
    planCalls('read', total, 1000, (seed) => testEvent(seed)),
    1,
    Number.MAX_SAFE_INTEGER,
  );
  let fromPosition = 0n;
  let events = 0;
  const started = process.hrtime.bigint();
  for (let page = 0; page < 1_000_000; page += 1) {
    const batch = await store.readAll({ fromPosition, maxCount: 1000 });
    const last = batch[batch.length - 1];
    if (last === undefined) break;
    events += batch.length;
    fromPosition = last.position;
  }
  const rate = eventsPerSecond(events, started);
  const table = store.names.events;
  await store.close();
  const rawRate = await rawReadThroughput(plan.database.connectionString, table);
  return {
    benchmark: 'readAll',
    notify,
    events,
    eventsPerCall: 1000,
    writers: 1,
    storeEventsPerSecond: rate,
    rawEventsPerSecond: rawRate,
  };
}

export async function runPostgresBench(
  options: PostgresBenchOptions = {},
): Promise<PostgresBenchFigure[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const database = await createThrowawayDatabase('ledger_bench');
  const plan: Plan = { database, budgetMs: options.appendBudgetMs ?? 10_000 };
  const figures: PostgresBenchFigure[] = [];
  const writers = options.writers ?? 8;
  try {
    for (const mode of options.modes ?? (['in-transaction', 'after-commit'] as const)) {
      figures.push(
        await appendFigure(plan, mode, 'append-single', options.singleEvents ?? 2000, 1, 1),
      );
      figures.push(
        await appendFigure(
          plan,
          mode,
          `append-single-x${writers}`,
          options.concurrentEvents ?? 4000,
          1,
          writers,
        ),
      );
      figures.push(
        await appendFigure(
          plan,
          mode,
          'append-batched',
          options.batchedEvents ?? 30_000,
          options.batchSize ?? 100,
          1,
        ),
      );
      log(`  done: notify=${mode}`);
    }
    // Issue 12: 64 concurrent writers, one event per append, with the group commit on and off.
    for (const groupCommit of [true, false])
      figures.push(
        await appendFigure(
          plan,
          'in-transaction',
          `append-single-x64, group commit ${groupCommit ? 'on' : 'off'}`,
          options.concurrent64Events ?? 8000,
          1,
          64,
          groupCommit,
          // Ceiling B's shape: the same rows 64 to a transaction, on one connection.
          { perCall: 64, writers: 1 },
        ),
      );
    figures.push(await readFigure(plan, 'in-transaction', options.readEvents ?? 100_000));
    const rebuild = await rebuildFigure(
      database.connectionString,
      options.rebuildEvents ?? 10_000,
      2000,
    );
    figures.push({
      benchmark: 'rebuild',
      notify: 'in-transaction',
      eventsPerCall: rebuild.batchSize,
      writers: 1,
      ...rebuild,
    });
    printTable(figures, await serverVersion(database.connectionString), log);
  } finally {
    await database.drop();
  }
  return figures;
}

async function serverVersion(connectionString: string): Promise<string> {
  const pool = new Pool({ connectionString, max: 1 });
  try {
    const { rows } = await pool.query<{ version: string; sync: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync",
    );
    return `PostgreSQL ${rows[0]?.version ?? '?'}, synchronous_commit=${rows[0]?.sync ?? '?'}`;
  } finally {
    await pool.end();
  }
}

function printTable(
  figures: readonly PostgresBenchFigure[],
  server: string,
  log: (line: string) => void,
): void {
  const header = [
    'benchmark',
    'notify',
    'events',
    'per call',
    'writers',
    'store ev/s',
    'raw ev/s',
    'store/raw',
  ];
  const rows = figures.map((figure) => [
    figure.benchmark,
    figure.notify,
    String(figure.events),
    String(figure.eventsPerCall),
    String(figure.writers),
    String(figure.storeEventsPerSecond),
    String(figure.rawEventsPerSecond),
    `${Math.round((100 * figure.storeEventsPerSecond) / figure.rawEventsPerSecond)}%`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  log(`postgres event store benchmark (${server}, node ${process.version})`);
  log(format(header));
  for (const row of rows) log(format(row));
  log(JSON.stringify({ bench: 'postgres-event-store', figures }));
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  const sizes = quick
    ? {
        singleEvents: 200,
        concurrentEvents: 400,
        concurrent64Events: 1000,
        batchedEvents: 5000,
        readEvents: 10_000,
        rebuildEvents: 2000,
      }
    : {};
  runPostgresBench(sizes).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
