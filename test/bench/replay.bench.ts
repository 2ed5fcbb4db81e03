/**
 * Replay benchmark (issues 7 and 13): a demo ledger of BENCH_EVENTS events (default 50,000), generated
 * through the real command path once and cached under tmp/bench/, then, in ONE run on that same file and
 * each in a fresh child process (so maxRSS is the job's own): the ceiling (better-sqlite3 iterate() in
 * position order + JSON.parse of data and metadata, one thread), replay, rebuild, verify, seal and export.
 * Prints events/s, CPU seconds, peak RSS and the ratio of each rate to the ceiling, with the load average
 * (the machine is shared: ratios taken in one run are the comparable figure, docs/benchmarks.md).
 *
 * Generating goes through LedgerService (500 to 2,000 events/s depending on load), so a million events
 * take 10 to 30 minutes the first time:
 *
 *   npm run bench -- replay
 *   BENCH_EVENTS=1000000 npm run bench -- replay
 *   BENCH_JOBS=ceiling,verify npm run bench -- replay     (a subset)
 *   BENCH_LEDGER_DIR=/tmp/demo-18519 BENCH_EVENTS=1000000 npm run bench -- replay
 *                                      (a demo generated once elsewhere: written there if missing, reused)
 *   BENCH_HEAP_CAP_MB=96 npm run bench -- replay
 *                                      (every job under --max-old-space-size: the live heap's bound, since
 *                                       V8's defaults let garbage grow the heap far past what is live)
 *
 * How a job runs (BENCH_RUNTIME, issue 13):
 *   compiled (default)  the CLI command itself (`ledger replay|verify|seal|export`), from the compiled
 *                       build of the current sources (scripts/build.mjs, built first when missing), with
 *                       the CLI's own memory bound (LEDGER_JOB_HEAP_MB, passed through); BENCH_HEAP_CAP_MB
 *                       then sets LEDGER_JOB_HEAP_MB instead of a node flag
 *   swc                 the same CLI commands from the TypeScript sources (node -r @swc-node/register)
 *   harness             the jobs called in-process by test/bench/replay-worker.ts (the figures before
 *                       2026-12-07: module loading excluded from the CPU time)
 * With compiled and swc, the rows are: replay on 1 thread (`replay --workers 1`), the parallel rebuild
 * (`replay --workers N`, BENCH_REBUILD_WORKERS, default the cores), verify on BENCH_VERIFY_WORKERS
 * threads, seal, export (xlsx). Each process of a job (the CLI's launcher and its heap-capped job
 * process) reports its own peak RSS through test/bench/job-usage.cjs; the row's peak is the largest, its
 * CPU the sum and its wall time the whole command's, start-up included. The ceiling is always measured
 * in-process by replay-worker.ts (its rate; its RSS is that of a process with @swc-node/register).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPLAY_BENCH_MODES } from './replay-worker';

/** Events the demo writes per applicant over 2023–2025 (measured: about 54); used to size the demo. */
const EVENTS_PER_APPLICANT = 54;

const root = resolve(__dirname, '..', '..');
const targetEvents = Number(process.env['BENCH_EVENTS'] ?? 50_000);
if (!Number.isSafeInteger(targetEvents) || targetEvents < 1000)
  throw new Error('BENCH_EVENTS must be an integer ≥ 1000');
const applicants = Math.ceil(targetEvents / EVENTS_PER_APPLICANT);
const dataDir =
  process.env['BENCH_LEDGER_DIR'] ?? join(root, 'tmp', 'bench', `demo-${applicants}-seed-7`);

const heapCapMb = process.env['BENCH_HEAP_CAP_MB'];
if (heapCapMb !== undefined && !/^[1-9][0-9]*$/.test(heapCapMb))
  throw new Error('BENCH_HEAP_CAP_MB must be a positive integer');
const heapCap = heapCapMb === undefined ? [] : [`--max-old-space-size=${heapCapMb}`];

const RUNTIMES = ['compiled', 'swc', 'harness'] as const;
type Runtime = (typeof RUNTIMES)[number];
const runtime = (process.env['BENCH_RUNTIME'] ?? 'compiled') as Runtime;
if (!RUNTIMES.includes(runtime))
  throw new Error(`BENCH_RUNTIME must be one of ${RUNTIMES.join(', ')}`);
const cores = availableParallelism();
const rebuildWorkers = Number(process.env['BENCH_REBUILD_WORKERS'] ?? cores);
const verifyWorkerCount = Number(process.env['BENCH_VERIFY_WORKERS'] ?? cores);

/** `capped`: a measured job (under BENCH_HEAP_CAP_MB); the demo generator never is. */
function node(args: readonly string[], env: NodeJS.ProcessEnv = {}, capped = false): string {
  const flags = capped ? heapCap : [];
  return execFileSync(process.execPath, [...flags, '-r', '@swc-node/register', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
}

function ensureDemoLedger(): void {
  if (existsSync(join(dataDir, 'ledger.db')) && existsSync(join(dataDir, 'demo.done'))) {
    process.stdout.write(`bench: reusing ${dataDir}\n`);
    return;
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  process.stdout.write(
    `bench: generating a demo of ${applicants} applicants (~${targetEvents} events) through LedgerService...\n`,
  );
  const output = node(
    [
      'apps/ledger-cli/src/main.ts',
      'demo',
      '--applicants',
      String(applicants),
      '--seed',
      '7',
      '--quiet',
      '--fast',
    ],
    { LEDGER_DATA_DIR: dataDir },
  );
  process.stdout.write(output);
  writeFileSync(join(dataDir, 'demo.done'), '');
}

interface JobResult {
  readonly mode: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly cpuSeconds: number;
  readonly eventsPerCpuSecond: number;
  readonly peakRssMb: number;
  /** The job process's V8 heap limit (compiled and swc runtimes). */
  readonly heapLimitMb?: number;
  /** The CLI's launcher process, when it started the job in a heap-capped child. */
  readonly launcherRssMb?: number;
}

/** The CLI's entry and the node flags that run it, for the compiled build or the TypeScript sources. */
function cliCommand(): readonly string[] {
  if (runtime === 'swc') return ['-r', '@swc-node/register', 'apps/ledger-cli/src/main.ts'];
  const dir = execFileSync(process.execPath, ['scripts/build.mjs', '--print'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return [join(dir, 'apps', 'ledger-cli', 'src', 'main.js')];
}

/** The CLI arguments of a bench job, and the row's name. */
function cliJob(job: string, scratch: string): { readonly label: string; readonly args: string[] } {
  switch (job) {
    case 'replay':
      return { label: 'replay ×1', args: ['replay', '--workers', '1'] };
    case 'rebuild':
      return {
        label: `replay ×${rebuildWorkers} (parallel rebuild)`,
        args: ['replay', '--workers', String(rebuildWorkers)],
      };
    case 'verify':
      return {
        label: `verify ×${verifyWorkerCount}`,
        args: ['verify', '--workers', String(verifyWorkerCount)],
      };
    case 'seal':
      return { label: 'seal', args: ['seal', '--out', join(scratch, 'checkpoint.json')] };
    case 'export':
      return {
        label: 'export',
        args: ['export', '--format', 'xlsx', '--out', join(scratch, 'export.xlsx')],
      };
    default:
      throw new Error(`no CLI job for ${job}`);
  }
}

interface ProcessUsage {
  readonly argv: string;
  readonly heapLimitMb: number;
  readonly code: number;
  readonly peakRssMb: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
}

/** One CLI job in processes of its own: the figures of its processes (job-usage.cjs) as one row. */
function runCliJob(cli: readonly string[], job: string, events: number): JobResult {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-cli-job-'));
  const usageFile = join(scratch, 'usage.jsonl');
  const { label, args } = cliJob(job, scratch);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEDGER_DATA_DIR: dataDir,
    BENCH_USAGE_FILE: usageFile,
    NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${join(__dirname, 'job-usage.cjs')}`,
  };
  if (heapCapMb !== undefined) env['LEDGER_JOB_HEAP_MB'] = heapCapMb;
  try {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, [...cli, ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const processes = readFileSync(usageFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ProcessUsage);
    const cpuSeconds = processes.reduce((sum, usage) => sum + usage.cpuSeconds, 0);
    const job = processes.reduce((largest, usage) =>
      usage.peakRssMb > largest.peakRssMb ? usage : largest,
    );
    const launcher = processes.find((usage) => usage !== job);
    return {
      mode: label,
      events,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSecond: Math.round(events / seconds),
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      eventsPerCpuSecond: Math.round(events / cpuSeconds),
      peakRssMb: job.peakRssMb,
      heapLimitMb: job.heapLimitMb,
      launcherRssMb: launcher?.peakRssMb,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

ensureDemoLedger();
const jobs = (process.env['BENCH_JOBS'] ?? REPLAY_BENCH_MODES.join(','))
  .split(',')
  .filter((job) => (REPLAY_BENCH_MODES as readonly string[]).includes(job));
if (!jobs.includes('ceiling')) jobs.unshift('ceiling');
const loadBefore = loadavg()[0] ?? 0;
const results: JobResult[] = [];
let failed = 0;
const cli = runtime === 'harness' ? [] : cliCommand();
for (const job of jobs) {
  try {
    const result =
      runtime === 'harness' || job === 'ceiling'
        ? (JSON.parse(
            node(['test/bench/replay-worker.ts', dataDir, job], {}, runtime === 'harness'),
          ) as JobResult)
        : runCliJob(cli, job, results[0]?.events ?? 0);
    results.push(result);
    // The whole row at once: a long run stopped before its table still leaves its figures.
    process.stdout.write(`bench: ${job} done in ${result.seconds} s ${JSON.stringify(result)}\n`);
  } catch {
    // The child printed its error on stderr; the other jobs still run on the same ledger.
    failed += 1;
    process.stdout.write(`bench: ${job} FAILED\n`);
  }
}
if (failed > 0) process.exitCode = 1;
const loadAfter = loadavg()[0] ?? 0;
const ceilingResult = results.find((result) => result.mode === 'ceiling');
const ceilingRate = ceilingResult?.eventsPerSecond ?? 0;
const ceilingCpuRate = ceilingResult?.eventsPerCpuSecond ?? 0;
process.stdout.write(
  `\nbench: ${results[0]?.events ?? 0} events, ${runtime}, load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after${heapCapMb === undefined ? '' : runtime === 'harness' ? `, every job with --max-old-space-size=${heapCapMb}` : `, LEDGER_JOB_HEAP_MB=${heapCapMb}`}\n`,
);
process.stdout.write(
  `| job | events/s | × ceiling | events/CPU-s | × ceiling (CPU) | wall s | CPU s | peak RSS MB | heap limit MB | launcher RSS MB |\n|---|---|---|---|---|---|---|---|---|---|\n`,
);
for (const result of results) {
  const ratio = ceilingRate > 0 ? (result.eventsPerSecond / ceilingRate).toFixed(2) : '-';
  const cpuRatio =
    ceilingCpuRate > 0 ? (result.eventsPerCpuSecond / ceilingCpuRate).toFixed(2) : '-';
  process.stdout.write(
    `| ${result.mode} | ${result.eventsPerSecond} | ${ratio} | ${result.eventsPerCpuSecond} | ${cpuRatio} | ${result.seconds} | ${result.cpuSeconds} | ${result.peakRssMb} | ${result.heapLimitMb ?? '-'} | ${result.launcherRssMb ?? '-'} |\n`,
  );
}
