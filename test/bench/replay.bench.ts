/**
 * Replay benchmark (issue 7): a demo ledger of BENCH_EVENTS events (default 200,000), generated through
 * the real command path once and cached under tmp/bench/, then rebuilt by the projections' runner into a
 * scratch store in a fresh process. Prints generation rate, replay time and peak RSS.
 *
 * The default keeps `npm run bench` within about 15 minutes on 2 cores even without the cache: generating
 * goes through LedgerService (1,000 to 2,000 events/s there), so a million events take 10 to 20 minutes the
 * first time. For the issue's figure at a million events:
 *
 *   BENCH_EVENTS=1000000 node -r @swc-node/register test/bench/replay.bench.ts
 *   BENCH_VERIFY=1 also times a full `verify` (chains, invariants, recomputed decisions) the same way.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Events the demo writes per applicant over 2023–2025 (measured: about 54); used to size the demo. */
const EVENTS_PER_APPLICANT = 54;

const root = resolve(__dirname, '..', '..');
const targetEvents = Number(process.env['BENCH_EVENTS'] ?? 200_000);
if (!Number.isSafeInteger(targetEvents) || targetEvents < 1000)
  throw new Error('BENCH_EVENTS must be an integer ≥ 1000');
const applicants = Math.ceil(targetEvents / EVENTS_PER_APPLICANT);
const dataDir = join(root, 'tmp', 'bench', `demo-${applicants}-seed-7`);

function node(args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, ['-r', '@swc-node/register', ...args], {
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

ensureDemoLedger();
const replay = JSON.parse(node(['test/bench/replay-worker.ts', dataDir, 'replay'])) as Record<
  string,
  number
>;
process.stdout.write(
  `bench: replay ${replay['events']} events in ${replay['seconds']} s (${replay['eventsPerSecond']} events/s), peak RSS ${replay['peakRssMb']} MB\n`,
);
if (process.env['BENCH_VERIFY'] === '1') {
  const verify = JSON.parse(node(['test/bench/replay-worker.ts', dataDir, 'verify'])) as Record<
    string,
    number
  >;
  process.stdout.write(
    `bench: verify ${verify['events']} events in ${verify['seconds']} s (${verify['eventsPerSecond']} events/s), peak RSS ${verify['peakRssMb']} MB\n`,
  );
}
