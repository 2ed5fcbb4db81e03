/**
 * Projection bench (issue 5): a generated ledger of BENCH_EVENTS events (default 1,000,000; ~50 per
 * applicant) is written straight into a SQLite event store file, then
 *   1. a full rebuild of every read model from position 0 is timed (events/s, peak RSS), and
 *   2. asOf fiscal-obligations queries at random instants are timed (p50/p95 ms).
 * Targets: rebuild ≥ 200,000 events/s, asOf p95 ≤ 50 ms.
 *
 *   node -r @swc-node/register test/bench/projections.bench.ts
 *   BENCH_EVENTS=100000 BENCH_DIR=/tmp/bench node -r @swc-node/register test/bench/projections.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type EventStore } from '@hz/event-store';
import {
  fiscalReport,
  PROJECTION_SCHEMA_VERSION,
  ProjectionRunner,
  SqliteReadStore,
} from '@hz/projections';
import { seededRandom } from '../../libs/projections/src/testing';
import { writeBenchLedger } from './projections-bench-ledger';

export interface ProjectionsBenchOptions {
  readonly events?: number;
  readonly directory?: string;
  readonly batchSize?: number;
  readonly queries?: number;
  readonly seed?: number;
}

export interface ProjectionsBenchResult {
  readonly events: number;
  readonly generateSeconds: number;
  readonly rebuildSeconds: number;
  readonly rebuildEventsPerSecond: number;
  /** CPU time of the rebuild (user + system): the figure that does not depend on other load on the machine. */
  readonly rebuildCpuSeconds: number;
  readonly rebuildEventsPerCpuSecond: number;
  /** Reading the log alone through the adapter's readAll (JSON parse included), for attribution. */
  readonly storeReadEventsPerCpuSecond: number;
  readonly loadAverage1m: number;
  readonly peakRssMiB: number;
  readonly asOfFiscalCityMs: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly asOfFiscalAllFundersMs: {
    readonly p50: number;
    readonly p95: number;
    readonly max: number;
  };
  readonly targets: { readonly rebuildEventsPerSecond: 200_000; readonly asOfP95Ms: 50 };
}

export async function runProjectionsBench(
  options: ProjectionsBenchOptions = {},
): Promise<ProjectionsBenchResult> {
  const events = options.events ?? 1_000_000;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'projections-bench-'));
  const ledgerFile = join(directory, 'ledger.db');
  rmSync(ledgerFile, { force: true });
  rmSync(join(directory, 'read-models.db'), { force: true });
  const ledger = await writeBenchLedger(ledgerFile, events, options.seed ?? 42, {
    activeApplicants: 200,
    claimsPerApplicant: 7,
  });

  const eventStore = await openSqliteEventStore({ file: ledgerFile, synchronous: 'NORMAL' });
  const storeReadCpuSeconds = await timeStoreRead(eventStore, options.batchSize ?? 5000);
  const readStore = new SqliteReadStore(join(directory, 'read-models.db'), {
    synchronous: 'OFF',
    cacheSizeKib: 262_144,
  });
  let peakRss = process.memoryUsage().rss;
  const { generation } = await readStore.createGeneration(PROJECTION_SCHEMA_VERSION);
  const runner = new ProjectionRunner(eventStore, readStore, generation, {
    batchSize: options.batchSize ?? 5000,
    onCommit: () => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    },
  });
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const checkpoint = await runner.catchUp();
  const rebuildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rebuildCpuSeconds = cpuSeconds(process.cpuUsage(cpuBefore));
  if (checkpoint.position !== BigInt(ledger.events))
    throw new Error(`rebuild stopped at ${checkpoint.position} of ${ledger.events}`);
  await readStore.activate(generation, checkpoint.position);

  const random = seededRandom(7);
  const span = ledger.lastRecordedMs - ledger.firstRecordedMs;
  const time = async (funder: string | undefined): Promise<number> => {
    const asOfMs = ledger.firstRecordedMs + random.int(span + 1);
    const begin = process.hrtime.bigint();
    const buckets = await readStore.fiscalBuckets({
      ...(funder === undefined ? {} : { funder }),
      toMonth: '2026-12',
      asOfMs,
    });
    fiscalReport(buckets, {
      ...(funder === undefined ? {} : { funder }),
      period: 'month',
      from: '2024-01',
      to: '2026-12',
    });
    return Number(process.hrtime.bigint() - begin) / 1e6;
  };
  const queries = options.queries ?? 500;
  const city: number[] = [];
  const all: number[] = [];
  for (let index = 0; index < queries; index += 1) city.push(await time('city'));
  for (let index = 0; index < queries; index += 1) all.push(await time(undefined));
  await readStore.close();
  await eventStore.close();
  if (options.directory === undefined) rmSync(directory, { recursive: true, force: true });
  return {
    events: ledger.events,
    generateSeconds: round(ledger.seconds),
    rebuildSeconds: round(rebuildSeconds),
    rebuildEventsPerSecond: Math.round(ledger.events / rebuildSeconds),
    rebuildCpuSeconds: round(rebuildCpuSeconds),
    rebuildEventsPerCpuSecond: Math.round(ledger.events / rebuildCpuSeconds),
    storeReadEventsPerCpuSecond: Math.round(ledger.events / storeReadCpuSeconds),
    loadAverage1m: round(loadavg()[0] ?? 0),
    peakRssMiB: Math.round(peakRss / 1048576),
    asOfFiscalCityMs: percentiles(city),
    asOfFiscalAllFundersMs: percentiles(all),
    targets: { rebuildEventsPerSecond: 200_000, asOfP95Ms: 50 },
  };
}

async function timeStoreRead(store: EventStore, pageSize: number): Promise<number> {
  const before = process.cpuUsage();
  let from = 0n;
  for (let page = 0; page < Number.MAX_SAFE_INTEGER; page += 1) {
    const events = await store.readAll({ fromPosition: from, maxCount: pageSize });
    const last = events[events.length - 1];
    if (last === undefined) break;
    from = last.position;
  }
  return cpuSeconds(process.cpuUsage(before));
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function percentiles(samples: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p95: at(0.95), max: round(sorted[sorted.length - 1] ?? 0) };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (require.main === module) {
  const events = Number(process.env['BENCH_EVENTS'] ?? '1000000');
  runProjectionsBench({
    events,
    ...(process.env['BENCH_DIR'] ? { directory: process.env['BENCH_DIR'] } : {}),
  })
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(
        `bench failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(1);
    });
}
