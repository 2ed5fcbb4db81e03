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
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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
}

ensureDemoLedger();
const jobs = (process.env['BENCH_JOBS'] ?? REPLAY_BENCH_MODES.join(','))
  .split(',')
  .filter((job) => (REPLAY_BENCH_MODES as readonly string[]).includes(job));
if (!jobs.includes('ceiling')) jobs.unshift('ceiling');
const loadBefore = loadavg()[0] ?? 0;
const results: JobResult[] = [];
let failed = 0;
for (const job of jobs) {
  try {
    const result = JSON.parse(
      node(['test/bench/replay-worker.ts', dataDir, job], {}, true),
    ) as JobResult;
    results.push(result);
    process.stdout.write(`bench: ${job} done in ${result.seconds} s\n`);
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
  `\nbench: ${results[0]?.events ?? 0} events, load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after${heapCapMb === undefined ? '' : `, every job with --max-old-space-size=${heapCapMb}`}\n`,
);
process.stdout.write(
  `| job | events/s | × ceiling | events/CPU-s | × ceiling (CPU) | wall s | CPU s | peak RSS MB |\n|---|---|---|---|---|---|---|---|\n`,
);
for (const result of results) {
  const ratio = ceilingRate > 0 ? (result.eventsPerSecond / ceilingRate).toFixed(2) : '-';
  const cpuRatio =
    ceilingCpuRate > 0 ? (result.eventsPerCpuSecond / ceilingCpuRate).toFixed(2) : '-';
  process.stdout.write(
    `| ${result.mode} | ${result.eventsPerSecond} | ${ratio} | ${result.eventsPerCpuSecond} | ${cpuRatio} | ${result.seconds} | ${result.cpuSeconds} | ${result.peakRssMb} |\n`,
  );
}
