/**
 * Event store benchmark (figures only, no assertions): append throughput one event per call and 100 per
 * call, readAll throughput over 100,000 events, each under synchronous FULL and NORMAL. Beside each store
 * figure stands the raw better-sqlite3 rate for the same rows, table and transaction granularity: the
 * ceiling, so the table shows what hashing, canonical JSON and the checks cost.
 *
 * Issue 12 adds: 64 concurrent writers, each appending one event at a time to a stream of its own (the
 * shape of 64 commands on different applicants), with the group commit on and off (its ceiling: the same
 * rows 64 to a transaction), and Emmett's SQLite store (`@event-driven-io/emmett-sqlite`, sequential
 * `appendToStream`, one event per call) as the peer. The group commit on is measured twice: batches on
 * the main thread (the default) and on the writer thread (writerThread: true, docs/architecture.md §4).
 *
 *   node -r @swc-node/register test/bench/event-store.bench.ts [--data-dir=DIR] [--quick]
 *     [--concurrent-only]  (only the concurrent writers, FULL, and Emmett: the issue-12 figures)
 *   (or BENCH_DATA_DIR=DIR; default: the OS temp directory)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openSqliteEventStore,
  type EventRowOf,
  type NewEvent,
  type SqliteEventStore,
  type SqliteSynchronous,
} from '@hz/event-store';
import { testEvent } from '@hz/event-store/testing';
// The adapter's own opener, so the raw ceiling gets the very same table, triggers and pragmas.
import { openDatabase } from '../../libs/event-store/src/sqlite/schema';

export interface EventStoreBenchOptions {
  readonly dataDirectory?: string;
  readonly modes?: readonly SqliteSynchronous[];
  /** Events appended one per call (per mode). */
  readonly singleEvents?: number;
  /** Events appended `batchSize` per call (per mode). */
  readonly batchedEvents?: number;
  readonly batchSize?: number;
  /** Events in the log that readAll pages through. */
  readonly readEvents?: number;
  /** Events appended by the concurrent writers (per mode and group-commit setting). */
  readonly concurrentEvents?: number;
  readonly writers?: number;
  /** Events Emmett's store appends one after the other (FULL only: its connection's default). */
  readonly emmettEvents?: number;
  /** An append measurement stops early after this long, so a slow disk cannot stretch the run. */
  readonly appendBudgetMs?: number;
  /** Only the concurrent writers and Emmett (--concurrent-only): the issue-12 figures, a short run. */
  readonly concurrentOnly?: boolean;
  readonly log?: (line: string) => void;
}

export interface BenchFigure {
  readonly benchmark: string;
  readonly synchronous: SqliteSynchronous;
  readonly events: number;
  readonly eventsPerCall: number;
  readonly storeEventsPerSecond: number;
  readonly rawEventsPerSecond: number;
}

/** A stored row without its position: the raw ceiling inserts it and the table numbers it. */
type Row = Omit<EventRowOf<bigint>, 'position'>;

const STREAMS = 100;

/**
 * The store's group commit (issue 12), every setting measured in the same run: on with the batches
 * committed on the main thread (the default), on with them committed on the writer thread
 * (writerThread: true), and off.
 */
const GROUP_COMMIT_SETTINGS = ['on', 'on, writer thread', 'off'] as const;
type GroupCommit = (typeof GROUP_COMMIT_SETTINGS)[number];

function openBenchStore(
  file: string,
  synchronous: SqliteSynchronous,
  groupCommit: GroupCommit,
): Promise<SqliteEventStore> {
  return openSqliteEventStore({
    file,
    synchronous,
    groupCommit: groupCommit !== 'off',
    writerThread: groupCommit === 'on, writer thread',
  });
}

function eventsPerSecond(events: number, startedNs: bigint): number {
  return Math.round(events / (Number(process.hrtime.bigint() - startedNs) / 1e9));
}

/**
 * Appends up to `total` events over STREAMS streams, `perCall` per append, with exact expected revisions,
 * stopping after `budgetMs`. Returns the events appended and the rate.
 */
async function appendThroughput(
  store: SqliteEventStore,
  prefix: string,
  total: number,
  perCall: number,
  budgetMs: number,
): Promise<{ events: number; rate: number }> {
  const revisions = new Map<string, bigint>();
  const calls: Array<{ stream: string; events: NewEvent[] }> = [];
  for (let call = 0; call * perCall < total; call += 1) {
    const events = Array.from({ length: perCall }, (_, index) =>
      testEvent(`${prefix}-${call}-${index}`),
    );
    calls.push({ stream: `applicant-${prefix}-${call % STREAMS}`, events });
  }
  const started = process.hrtime.bigint();
  const deadlineNs = started + BigInt(budgetMs) * 1_000_000n;
  let appended = 0;
  for (const { stream, events } of calls) {
    const result = await store.appendToStream(stream, events, {
      expectedRevision: revisions.get(stream) ?? 'no_stream',
    });
    revisions.set(stream, result.nextRevision);
    appended += events.length;
    if (process.hrtime.bigint() > deadlineNs) break;
  }
  return { events: appended, rate: eventsPerSecond(appended, started) };
}

/**
 * `writers` appenders at once, each on its own stream, one event per call, each waiting for its append
 * before the next: with the group commit the appends of one turn share a transaction, without it each
 * commits alone. Stops at `total` events or after `budgetMs`.
 */
async function concurrentAppendThroughput(
  store: SqliteEventStore,
  prefix: string,
  total: number,
  writers: number,
  budgetMs: number,
): Promise<{ events: number; rate: number }> {
  const started = process.hrtime.bigint();
  const deadlineNs = started + BigInt(budgetMs) * 1_000_000n;
  let appended = 0;
  let issued = 0;
  const writer = async (index: number): Promise<void> => {
    const stream = `applicant-${prefix}-${index}`;
    let expectedRevision: bigint | 'no_stream' = 'no_stream';
    while (issued < total && process.hrtime.bigint() < deadlineNs) {
      issued += 1;
      const result = await store.appendToStream(stream, [testEvent(`${prefix}-${issued}`)], {
        expectedRevision,
      });
      expectedRevision = result.nextRevision;
      appended += 1;
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));
  return { events: appended, rate: eventsPerSecond(appended, started) };
}

/** Emmett's SQLite event store, one event per `appendToStream`, one call after the other. */
async function emmettSequentialThroughput(
  file: string,
  total: number,
  budgetMs: number,
): Promise<{ events: number; rate: number }> {
  const { getSQLiteEventStore } = await import('@event-driven-io/emmett-sqlite');
  const store = getSQLiteEventStore({
    fileName: file,
    schema: { autoMigration: 'CreateOrUpdate' },
  });
  // Its schema is created on the first call: not timed.
  await store.appendToStream('warm-up', [{ type: 'BenchEvent', data: { n: 0 } }]);
  const started = process.hrtime.bigint();
  const deadlineNs = started + BigInt(budgetMs) * 1_000_000n;
  let appended = 0;
  for (let index = 0; index < total && process.hrtime.bigint() < deadlineNs; index += 1) {
    await store.appendToStream(`applicant-emmett-${index}`, [
      { type: 'BenchEvent', data: testEvent(`emmett-${index}`).data },
    ]);
    appended += 1;
  }
  return { events: appended, rate: eventsPerSecond(appended, started) };
}

/** The ceiling: the very rows the store wrote, inserted into a fresh file with one transaction per `perCall` rows. */
function rawInsertThroughput(
  file: string,
  rows: readonly Row[],
  synchronous: SqliteSynchronous,
  perCall: number,
): number {
  const db = openDatabase({ file, synchronous, busyTimeoutMs: 10_000 });
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertMany = db.transaction((chunk: readonly Row[]) => {
    for (const row of chunk)
      insert.run(row.stream_id, row.revision, row.event_id, row.type, row.data, row.metadata);
  });
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < rows.length; offset += perCall)
    insertMany.immediate(rows.slice(offset, offset + perCall));
  const rate = eventsPerSecond(rows.length, started);
  db.close();
  return rate;
}

function storedRows(file: string, synchronous: SqliteSynchronous): Row[] {
  const db = openDatabase({ file, synchronous, busyTimeoutMs: 10_000 });
  const rows = db
    .prepare<[], Row>(
      'SELECT stream_id, revision, event_id, type, data, metadata FROM events ORDER BY position',
    )
    .all();
  db.close();
  return rows;
}

async function readAllThroughput(
  store: SqliteEventStore,
): Promise<{ events: number; rate: number }> {
  let fromPosition = 0n;
  let events = 0;
  const started = process.hrtime.bigint();
  for (let page = 0; page < 1_000_000; page += 1) {
    const batch = await store.readAll({ fromPosition });
    const last = batch[batch.length - 1];
    if (last === undefined) break;
    events += batch.length;
    fromPosition = last.position;
  }
  return { events, rate: eventsPerSecond(events, started) };
}

/** The read ceiling: the same pages straight from better-sqlite3, without JSON parsing or mapping. */
function rawReadThroughput(file: string, synchronous: SqliteSynchronous): number {
  const db = openDatabase({ file, synchronous, busyTimeoutMs: 10_000 });
  const page = db.prepare<[bigint], { position: bigint }>(
    'SELECT position, stream_id, revision, event_id, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT 1000',
  );
  let fromPosition = 0n;
  let events = 0;
  const started = process.hrtime.bigint();
  for (let rows = page.all(fromPosition); rows.length > 0; rows = page.all(fromPosition)) {
    events += rows.length;
    fromPosition = rows[rows.length - 1]?.position ?? fromPosition;
  }
  const rate = eventsPerSecond(events, started);
  db.close();
  return rate;
}

interface Plan {
  readonly directory: string;
  readonly budgetMs: number;
}

async function appendFigure(
  plan: Plan,
  mode: SqliteSynchronous,
  name: string,
  total: number,
  perCall: number,
): Promise<BenchFigure> {
  const file = join(plan.directory, `${name}-${mode}.db`);
  const store = await openSqliteEventStore({ file, synchronous: mode });
  const { events, rate } = await appendThroughput(store, name, total, perCall, plan.budgetMs);
  await store.close();
  const rawRate = rawInsertThroughput(
    join(plan.directory, `${name}-${mode}-raw.db`),
    storedRows(file, mode),
    mode,
    perCall,
  );
  return {
    benchmark: name,
    synchronous: mode,
    events,
    eventsPerCall: perCall,
    storeEventsPerSecond: rate,
    rawEventsPerSecond: rawRate,
  };
}

async function concurrentFigure(
  plan: Plan,
  mode: SqliteSynchronous,
  total: number,
  writers: number,
  groupCommit: GroupCommit,
): Promise<BenchFigure> {
  const name = `append-${writers}-writers`;
  const setting = groupCommit.replace(/\W+/g, '-');
  const file = join(plan.directory, `${name}-${mode}-${setting}.db`);
  const store = await openBenchStore(file, mode, groupCommit);
  const { events, rate } = await concurrentAppendThroughput(
    store,
    `${name}-${setting}`,
    total,
    writers,
    plan.budgetMs,
  );
  await store.close();
  return {
    benchmark: `${name}, group commit ${groupCommit}`,
    synchronous: mode,
    events,
    eventsPerCall: 1,
    storeEventsPerSecond: rate,
    // Ceiling B at the store's level: the same rows, `writers` to a transaction.
    rawEventsPerSecond: rawInsertThroughput(
      join(plan.directory, `${name}-${mode}-${setting}-raw.db`),
      storedRows(file, mode),
      mode,
      writers,
    ),
  };
}

async function emmettFigure(plan: Plan, total: number): Promise<BenchFigure> {
  const { events, rate } = await emmettSequentialThroughput(
    join(plan.directory, 'emmett.db'),
    total,
    plan.budgetMs,
  );
  return {
    benchmark: 'emmett append-single',
    synchronous: 'FULL',
    events,
    eventsPerCall: 1,
    storeEventsPerSecond: rate,
    rawEventsPerSecond: Number.NaN,
  };
}

/** Builds the log to read once (not measured); each mode then reads it through a store opened with that mode. */
async function buildReadLog(plan: Plan, total: number): Promise<string> {
  const file = join(plan.directory, 'read.db');
  const store = await openSqliteEventStore({ file, synchronous: 'NORMAL' });
  await appendThroughput(store, 'read', total, 1000, Number.MAX_SAFE_INTEGER);
  await store.close();
  return file;
}

async function readFigure(file: string, mode: SqliteSynchronous): Promise<BenchFigure> {
  const store = await openSqliteEventStore({ file, synchronous: mode });
  const { events, rate } = await readAllThroughput(store);
  await store.close();
  return {
    benchmark: 'readAll',
    synchronous: mode,
    events,
    eventsPerCall: 1000,
    storeEventsPerSecond: rate,
    rawEventsPerSecond: rawReadThroughput(file, mode),
  };
}

export async function runEventStoreBench(
  options: EventStoreBenchOptions = {},
): Promise<BenchFigure[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const plan: Plan = {
    directory: mkdtempSync(join(options.dataDirectory ?? tmpdir(), 'event-store-bench-')),
    budgetMs: options.appendBudgetMs ?? 10_000,
  };
  const figures: BenchFigure[] = [];
  try {
    const concurrentOnly = options.concurrentOnly === true;
    const readLog = concurrentOnly
      ? undefined
      : await buildReadLog(plan, options.readEvents ?? 100_000);
    for (const mode of options.modes ?? ['FULL', 'NORMAL']) {
      if (readLog !== undefined) {
        figures.push(
          await appendFigure(plan, mode, 'append-single', options.singleEvents ?? 2000, 1),
        );
        figures.push(
          await appendFigure(
            plan,
            mode,
            'append-batched',
            options.batchedEvents ?? 30_000,
            options.batchSize ?? 100,
          ),
        );
        figures.push(await readFigure(readLog, mode));
      }
      for (const groupCommit of GROUP_COMMIT_SETTINGS)
        figures.push(
          await concurrentFigure(
            plan,
            mode,
            options.concurrentEvents ?? 20_000,
            options.writers ?? 64,
            groupCommit,
          ),
        );
      log(`  done: synchronous=${mode}`);
    }
    figures.push(await emmettFigure(plan, options.emmettEvents ?? 2000));
    log('  done: Emmett');
  } finally {
    rmSync(plan.directory, { recursive: true, force: true });
  }
  printTable(figures, plan.directory, log);
  return figures;
}

function printTable(
  figures: readonly BenchFigure[],
  directory: string,
  log: (line: string) => void,
): void {
  const header = ['benchmark', 'sync', 'events', 'per call', 'store ev/s', 'raw ev/s', 'store/raw'];
  const rows = figures.map((figure) => [
    figure.benchmark,
    figure.synchronous,
    String(figure.events),
    String(figure.eventsPerCall),
    String(figure.storeEventsPerSecond),
    Number.isFinite(figure.rawEventsPerSecond) ? String(figure.rawEventsPerSecond) : '-',
    Number.isFinite(figure.rawEventsPerSecond)
      ? `${Math.round((100 * figure.storeEventsPerSecond) / figure.rawEventsPerSecond)}%`
      : '-',
  ]);
  const emmett = figures.find((figure) => figure.benchmark.startsWith('emmett'));
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  log(`event store benchmark (data directory ${directory}, node ${process.version})`);
  log(format(header));
  for (const row of rows) log(format(row));
  // Issue 12's aim: 64 concurrent writers at 20x or more of Emmett's sequential rate, same run.
  if (emmett)
    for (const figure of figures.filter((entry) => entry.benchmark.includes('writers')))
      log(
        `${figure.benchmark} (${figure.synchronous}) / Emmett sequential: ${(figure.storeEventsPerSecond / emmett.storeEventsPerSecond).toFixed(1)}x`,
      );
  log(JSON.stringify({ bench: 'event-store', loadAverage: loadavg(), figures }));
}

function dataDirectoryArgument(): string | undefined {
  const flag = process.argv.find((argument) => argument.startsWith('--data-dir='));
  return flag?.slice('--data-dir='.length) ?? process.env['BENCH_DATA_DIR'];
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  const sizes = quick
    ? {
        singleEvents: 200,
        batchedEvents: 5000,
        readEvents: 10_000,
        concurrentEvents: 2000,
        emmettEvents: 100,
      }
    : {};
  const concurrentOnly = process.argv.includes('--concurrent-only');
  runEventStoreBench({
    dataDirectory: dataDirectoryArgument(),
    ...sizes,
    ...(concurrentOnly ? { concurrentOnly, modes: ['FULL'] as const } : {}),
  }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
