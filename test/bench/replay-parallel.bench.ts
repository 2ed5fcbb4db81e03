/**
 * Parallel rebuild and replay (issue 13), `npm run bench -- replay` (beside replay.bench.ts): one
 * generated ledger of BENCH_EVENTS events (default 50,000; the projections generator written straight into
 * a SQLite event store file, cached in BENCH_LEDGER_DIR, default /tmp/ledger-bench, and reused), then in
 * ONE run on that file, each job in a child process of its own (test/bench/replay-parallel-job.ts): the
 * single-thread iterate+parse ceiling, the projector's rebuild and the auditor's replay with 1, 2 and 4
 * worker threads. Prints events/s, CPU seconds, peak RSS and each rate as a ratio to the ceiling's, with
 * the load average (the machine is shared: ratios within one run are the comparable figure).
 *
 *   node -r @swc-node/register test/bench/replay-parallel.bench.ts
 *   BENCH_EVENTS=1000000 node -r @swc-node/register test/bench/replay-parallel.bench.ts
 *   BENCH_WORKERS=1,2 BENCH_JOBS=rebuild node -r @swc-node/register test/bench/replay-parallel.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBenchLedger } from './projections-bench-ledger';
import { PARALLEL_BENCH_JOBS } from './replay-parallel-job';

const root = resolve(__dirname, '..', '..');
const SEED = 1;

interface JobResult {
  readonly job: string;
  readonly workers: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly cpuSeconds: number;
  readonly eventsPerCpuSecond: number;
  readonly peakRssMb: number;
}

async function ensureLedger(events: number): Promise<string> {
  const directory = process.env['BENCH_LEDGER_DIR'] ?? '/tmp/ledger-bench';
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `generated-${events}-seed-${SEED}.db`);
  if (existsSync(file) && existsSync(`${file}.done`)) {
    process.stdout.write(`bench: reusing ${file}\n`);
    return file;
  }
  for (const suffix of ['', '-wal', '-shm', '.done']) rmSync(`${file}${suffix}`, { force: true });
  process.stdout.write(`bench: generating ${events} events into ${file}...\n`);
  const written = await writeBenchLedger(file, events, SEED);
  process.stdout.write(`bench: ${written.events} events in ${written.seconds.toFixed(1)} s\n`);
  writeFileSync(`${file}.done`, '');
  return file;
}

function runJob(file: string, job: string, workers: number): JobResult {
  const output = execFileSync(
    process.execPath,
    ['-r', '@swc-node/register', 'test/bench/replay-parallel-job.ts', file, job, String(workers)],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(output) as JobResult;
}

async function main(): Promise<void> {
  const events = Number(process.env['BENCH_EVENTS'] ?? 50_000);
  if (!Number.isSafeInteger(events) || events < 1000)
    throw new Error('BENCH_EVENTS must be an integer ≥ 1000');
  const workerCounts = (process.env['BENCH_WORKERS'] ?? '1,2,4').split(',').map(Number);
  const jobs = (process.env['BENCH_JOBS'] ?? 'rebuild,replay')
    .split(',')
    .filter((job) => job !== 'ceiling' && (PARALLEL_BENCH_JOBS as readonly string[]).includes(job));
  const file = await ensureLedger(events);
  const loadBefore = loadavg()[0] ?? 0;
  const results: JobResult[] = [];
  let failed = 0;
  const run = (job: string, workers: number): void => {
    try {
      const result = runJob(file, job, workers);
      results.push(result);
      process.stdout.write(`bench: ${job} × ${workers} done in ${result.seconds} s\n`);
    } catch {
      failed += 1;
      process.stdout.write(`bench: ${job} × ${workers} FAILED\n`);
    }
  };
  run('ceiling', 1);
  for (const job of jobs) for (const workers of workerCounts) run(job, workers);
  // The ceiling again at the end: the load moves during a run; both are printed.
  run('ceiling', 1);
  const loadAfter = loadavg()[0] ?? 0;
  const ceilings = results.filter((result) => result.job === 'ceiling');
  const ceilingRate = Math.max(...ceilings.map((result) => result.eventsPerSecond), 0);
  const ceilingCpuRate = Math.max(...ceilings.map((result) => result.eventsPerCpuSecond), 0);
  process.stdout.write(
    `\nbench: ${results[0]?.events ?? 0} events, load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after; ratios to the faster of the two ceiling runs\n`,
  );
  process.stdout.write(
    '| job | workers | events/s | × ceiling | events/CPU-s | × ceiling (CPU) | wall s | CPU s | peak RSS MB |\n|---|---|---|---|---|---|---|---|---|\n',
  );
  for (const result of results) {
    const ratio = ceilingRate > 0 ? (result.eventsPerSecond / ceilingRate).toFixed(2) : '-';
    const cpuRatio =
      ceilingCpuRate > 0 ? (result.eventsPerCpuSecond / ceilingCpuRate).toFixed(2) : '-';
    process.stdout.write(
      `| ${result.job} | ${result.workers} | ${result.eventsPerSecond} | ${ratio} | ${result.eventsPerCpuSecond} | ${cpuRatio} | ${result.seconds} | ${result.cpuSeconds} | ${result.peakRssMb} |\n`,
    );
  }
  if (failed > 0) process.exitCode = 1;
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
