/**
 * One measured job of the parallel rebuild bench (issue 13), in a process of its own so that its peak
 * memory (maxRSS, worker threads included) and CPU time are the job's:
 *
 *   node -r @swc-node/register test/bench/replay-parallel-job.ts <ledger.db> <job> [workers]
 *
 * job: ceiling | rebuild | replay. Prints one JSON line.
 *   ceiling  better-sqlite3 iterate() over `events` in position order + JSON.parse of data and metadata,
 *            one thread (issue 13's "ceiling": the rate the other jobs are compared with).
 *   rebuild  the projector's rebuild (ProjectionSupervisor.rebuild) into a fresh SQLite read store with
 *            `rebuildWorkers` = workers, activated at the end.
 *   replay   the auditor's replay (`ledger replay`'s replayIntoScratch) with `workers`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayIntoScratch } from '@hz/audit';
import { openSqliteEventStore } from '@hz/event-store';
import { ProjectionSupervisor, SqliteReadStore } from '@hz/projections';
import { ceiling } from './replay-worker';

export const PARALLEL_BENCH_JOBS = ['ceiling', 'rebuild', 'replay'] as const;
export type ParallelBenchJob = (typeof PARALLEL_BENCH_JOBS)[number];

async function rebuild(file: string, workers: number): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-rebuild-parallel-'));
  const events = await openSqliteEventStore({ file });
  // The read store as the service opens it (WAL, synchronous=NORMAL).
  const readStore = new SqliteReadStore(join(directory, 'read-models.db'));
  const supervisor = new ProjectionSupervisor(events, readStore, {
    rebuildWorkers: workers,
    ...applicantsCached(),
  });
  try {
    await supervisor.rebuild();
    const active = await readStore.activeCheckpoint();
    return Number(active?.position ?? 0n);
  } finally {
    await supervisor.stop();
    await readStore.close();
    await events.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * BENCH_APPLICANTS_CACHED: the runner's applicant cache bound; BENCH_BATCH_SIZE: events per transaction.
 * To measure what each costs in memory and CPU (default: the runner's).
 */
function applicantsCached(): { applicantsCachedMax?: number; batchSize?: number } {
  const cached = process.env['BENCH_APPLICANTS_CACHED'];
  const batch = process.env['BENCH_BATCH_SIZE'];
  return {
    ...(cached === undefined ? {} : { applicantsCachedMax: Number(cached) }),
    ...(batch === undefined ? {} : { batchSize: Number(batch) }),
  };
}

async function replay(file: string, workers: number): Promise<number> {
  const store = await openSqliteEventStore({ file });
  try {
    const scratch = await replayIntoScratch(store, { workers });
    await scratch.dispose();
    return scratch.events;
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const [file, job = 'ceiling', workersText = '1'] = process.argv.slice(2);
  const workers = Number(workersText);
  if (file === undefined || !(PARALLEL_BENCH_JOBS as readonly string[]).includes(job))
    throw new Error(
      `usage: replay-parallel-job.ts <ledger.db> [${PARALLEL_BENCH_JOBS.join('|')}] [workers]`,
    );
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  // BENCH_MEMORY_TRACE=1: where the memory is (V8 heap or native), every 5 s on stderr.
  const trace =
    process.env['BENCH_MEMORY_TRACE'] === undefined
      ? undefined
      : setInterval(() => {
          const memory = process.memoryUsage();
          const mb = (bytes: number): number => Math.round(bytes / 1048576);
          process.stderr.write(
            `memory: rss ${mb(memory.rss)} heapTotal ${mb(memory.heapTotal)} heapUsed ${mb(memory.heapUsed)} external ${mb(memory.external)} MB\n`,
          );
        }, 5000);
  const events =
    job === 'ceiling'
      ? ceiling(file)
      : job === 'rebuild'
        ? await rebuild(file, workers)
        : await replay(file, workers);
  if (trace !== undefined) clearInterval(trace);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    `${JSON.stringify({
      job,
      workers: job === 'ceiling' ? 1 : workers,
      events,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSecond: Math.round(events / seconds),
      // Every thread of the process (the workers' included), module loading of the main thread excluded.
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      eventsPerCpuSecond: Math.round(events / cpuSeconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
}

if (require.main === module)
  void main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
