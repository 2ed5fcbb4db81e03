/**
 * The compiled build (scripts/build.mjs) and the whole-ledger jobs' memory bound (issue 13,
 * docs/operations.md "Memory of the whole-ledger jobs"):
 *   - the decision: which commands restart under a heap cap, and when they do not;
 *   - the compiled CLI runs a job whose worker threads load compiled files (@hz/kernel workerSource), in a
 *     process whose V8 heap is capped at LEDGER_JOB_HEAP_MB, with the same report as the sources give.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { ENVIRONMENT } from '@hz/config';
import {
  EXIT_OK,
  EXIT_USAGE,
  JOB_HEAP_MB_DEFAULT,
  JOB_SEMI_SPACE_MB,
  REPLAY_OLD_SPACE_GIVEN_MB,
  REPLAY_OLD_SPACE_MIN_MB,
  REPLAY_SEMI_SPACE_MB,
  REPLAY_WORKERS_DEFAULT_MAX,
  SEAL_SEMI_SPACE_MB,
  jobHeapMb,
  jobNodeFlags,
  replayWorkersDefault,
  UsageError,
  WHOLE_LEDGER_JOBS,
} from './cli-frame';
import { demoLedgerTemplate, freshDataDir, runLedger } from './testing/cli-harness';

const root = resolve(__dirname, '..', '..', '..');

describe('whole-ledger jobs: the heap cap decision', () => {
  it.each(WHOLE_LEDGER_JOBS)('%s restarts under the default cap', (name) => {
    const heap = jobHeapMb(
      name,
      JOB_HEAP_MB_DEFAULT,
      name === 'replay' ? replayWorkersDefault() : undefined,
    );
    expect(jobNodeFlags([name], {}, [])).toEqual([
      `--max-old-space-size=${heap.oldSpaceMb}`,
      `--max-semi-space-size=${heap.semiSpaceMb}`,
    ]);
    // Whatever the job, its V8 heap (old generation + 3 semi-spaces) stays within the cap + 12 MB.
    expect(heap.oldSpaceMb + 3 * heap.semiSpaceMb).toBeLessThanOrEqual(
      JOB_HEAP_MB_DEFAULT + 3 * JOB_SEMI_SPACE_MB + (name === 'seal' ? 36 : 0),
    );
    expect(jobNodeFlags([name, '--workers', '1'], { LEDGER_JOB_HEAP_MB: '96' }, [])).toEqual([
      '--max-old-space-size=96',
      `--max-semi-space-size=${jobHeapMb(name, 96).semiSpaceMb}`,
    ]);
    // A young generation the caller sized is kept.
    expect(jobNodeFlags([name], { NODE_OPTIONS: '--max-semi-space-size=16' }, [])).toEqual([
      `--max-old-space-size=${JOB_HEAP_MB_DEFAULT}`,
    ]);
  });

  it('gives seal and the one-thread replay the larger young generation, every other job the smaller', () => {
    const semi = (argv: string[]): string | undefined => jobNodeFlags(argv, {}, [])?.[1];
    expect(SEAL_SEMI_SPACE_MB).toBeGreaterThan(JOB_SEMI_SPACE_MB);
    expect(REPLAY_SEMI_SPACE_MB).toBeGreaterThan(JOB_SEMI_SPACE_MB);
    expect(semi(['seal'])).toBe(`--max-semi-space-size=${SEAL_SEMI_SPACE_MB}`);
    for (const argv of [
      ['replay', '--workers', '1'],
      ['replay', '--workers=1', '--json'],
    ])
      expect(semi(argv)).toBe(`--max-semi-space-size=${REPLAY_SEMI_SPACE_MB}`);
    // A parallel replay: every worker thread's isolate would get the larger young generation too.
    for (const argv of [
      ['replay', '--workers', '2'],
      ['replay', '--json', '--workers=4'],
      ['verify'],
      ['export'],
    ])
      expect(semi(argv)).toBe(`--max-semi-space-size=${JOB_SEMI_SPACE_MB}`);
    expect(jobNodeFlags(['replay', '--workers', '2'], {}, [])?.[0]).toBe(
      `--max-old-space-size=${JOB_HEAP_MB_DEFAULT}`,
    );
    // Without --workers the replay runs on replayWorkersDefault() threads: the machine's cores, at most 2.
    expect(replayWorkersDefault()).toBe(
      Math.min(REPLAY_WORKERS_DEFAULT_MAX, Math.max(1, availableParallelism())),
    );
    expect(semi(['replay'])).toBe(
      `--max-semi-space-size=${replayWorkersDefault() > 1 ? JOB_SEMI_SPACE_MB : REPLAY_SEMI_SPACE_MB}`,
    );
  });

  it("takes replay's larger young generation from its old generation's cap, not on top of it", () => {
    // The bound of docs/operations.md "Memory of the whole-ledger jobs": old + 3 semi-spaces = cap + 12.
    expect(REPLAY_OLD_SPACE_GIVEN_MB).toBe(3 * (REPLAY_SEMI_SPACE_MB - JOB_SEMI_SPACE_MB));
    expect(jobNodeFlags(['replay', '--workers', '1'], {}, [])).toEqual([
      `--max-old-space-size=${JOB_HEAP_MB_DEFAULT - REPLAY_OLD_SPACE_GIVEN_MB}`,
      `--max-semi-space-size=${REPLAY_SEMI_SPACE_MB}`,
    ]);
    const least = REPLAY_OLD_SPACE_MIN_MB + REPLAY_OLD_SPACE_GIVEN_MB;
    expect(
      jobNodeFlags(['replay', '--workers', '1'], { LEDGER_JOB_HEAP_MB: String(least) }, []),
    ).toEqual([
      `--max-old-space-size=${REPLAY_OLD_SPACE_MIN_MB}`,
      `--max-semi-space-size=${REPLAY_SEMI_SPACE_MB}`,
    ]);
    // A smaller cap would leave the old generation less than the replay was measured to need: the
    // small young generation and the whole cap then.
    expect(
      jobNodeFlags(['replay', '--workers', '1'], { LEDGER_JOB_HEAP_MB: String(least - 1) }, []),
    ).toEqual([`--max-old-space-size=${least - 1}`, `--max-semi-space-size=${JOB_SEMI_SPACE_MB}`]);
    // A young generation the caller sized: the whole cap for the old one.
    expect(
      jobNodeFlags(['replay', '--workers', '1'], { NODE_OPTIONS: '--max-semi-space-size=8' }, []),
    ).toEqual([`--max-old-space-size=${JOB_HEAP_MB_DEFAULT}`]);
  });

  it('leaves other commands, --help, a cap switched off and a heap size already given alone', () => {
    expect(jobNodeFlags(['demo', '--applicants', '3'], {}, [])).toBeUndefined();
    expect(jobNodeFlags(['close'], {}, [])).toBeUndefined();
    expect(jobNodeFlags([], {}, [])).toBeUndefined();
    expect(jobNodeFlags(['verify', '--help'], {}, [])).toBeUndefined();
    expect(jobNodeFlags(['verify'], { LEDGER_JOB_HEAP_MB: '0' }, [])).toBeUndefined();
    // The restarted process itself, and a caller's own choice.
    expect(jobNodeFlags(['verify'], {}, ['--max-old-space-size=128'])).toBeUndefined();
    expect(jobNodeFlags(['seal'], {}, ['--max_old_space_size=300'])).toBeUndefined();
    expect(
      jobNodeFlags(['seal'], { NODE_OPTIONS: '--enable-source-maps --max-old-space-size=512' }, []),
    ).toBeUndefined();
  });

  it("takes its default from LEDGER_JOB_HEAP_MB's in @hz/config", () => {
    expect(ENVIRONMENT.LEDGER_JOB_HEAP_MB.default).toBe(String(JOB_HEAP_MB_DEFAULT));
  });

  it.each(['12', '63', '65537', '1e3', '-1', 'lots'])(
    'refuses LEDGER_JOB_HEAP_MB=%s as a usage error',
    (value) => {
      expect(() => jobNodeFlags(['replay'], { LEDGER_JOB_HEAP_MB: value }, [])).toThrow(UsageError);
    },
  );
});

describe('the compiled build', () => {
  let template: Awaited<ReturnType<typeof demoLedgerTemplate>>;
  let build: string;

  beforeAll(async () => {
    template = await demoLedgerTemplate(6);
    build = execFileSync(process.execPath, ['scripts/build.mjs', '--print'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }, 120_000);

  it('is complete, and only spec files are left out', () => {
    expect(existsSync(join(build, '.build-complete'))).toBe(true);
    expect(existsSync(join(build, 'libs', 'audit', 'src', 'verify', 'verify-worker.js'))).toBe(
      true,
    );
    expect(
      existsSync(join(build, 'libs', 'event-store', 'src', 'sqlite', 'writer-worker.js')),
    ).toBe(true);
    expect(existsSync(join(build, 'apps', 'ledger-cli', 'src', 'cli-frame.unit.spec.js'))).toBe(
      false,
    );
  });

  it('runs verify on worker threads under the heap cap, with the report the sources give', async () => {
    const dataDir = template.copy();
    const expected = await runLedger(dataDir, ['verify', '--json', '--workers', '1']);
    expect(expected.code).toBe(EXIT_OK);

    // Each process of the job writes its heap limit and whether it loaded a TypeScript file.
    const probe = join(freshDataDir('probe'), 'probe.cjs');
    const lines = `${probe}.jsonl`;
    writeFileSync(
      probe,
      `process.on('exit', () => require('node:fs').appendFileSync(${JSON.stringify(lines)},
        JSON.stringify({ main: require('node:worker_threads').isMainThread,
          limitMb: require('node:v8').getHeapStatistics().heap_size_limit / 1048576,
          ts: Object.keys(require.cache).some((file) => file.endsWith('.ts')) }) + '\\n'));`,
    );
    const run = spawnSync(
      process.execPath,
      [join(build, 'apps', 'ledger-cli', 'src', 'main.js'), 'verify', '--json', '--workers', '2'],
      {
        cwd: root,
        encoding: 'utf8',
        env: {
          ...process.env,
          LEDGER_DATA_DIR: dataDir,
          LEDGER_JOB_HEAP_MB: '80',
          NODE_OPTIONS: `--require ${probe}`,
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(EXIT_OK);
    const report = JSON.parse(run.stdout) as { ok: boolean; eventCount: number };
    const sources = JSON.parse(expected.stdout) as { ok: boolean; eventCount: number };
    expect(report.ok).toBe(true);
    expect(report.eventCount).toBe(sources.eventCount);

    // The launcher (V8's default limit), then the job process (80 MB old generation + the young one).
    const processes = readFileSync(lines, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { main: boolean; limitMb: number; ts: boolean });
    const limits = processes.filter((entry) => entry.main).map((entry) => entry.limitMb);
    expect(limits).toHaveLength(2);
    expect(Math.min(...limits)).toBeGreaterThanOrEqual(80);
    // 80 MB old + 3 × 4 MB young (V8's default young generation would make it 128).
    expect(Math.min(...limits)).toBeLessThan(100);
    expect(Math.max(...limits)).toBeGreaterThan(500);
    expect(processes.some((entry) => entry.ts)).toBe(false);
  }, 120_000);

  it('exits 2 on a LEDGER_JOB_HEAP_MB it cannot use, before opening anything', () => {
    const run = spawnSync(
      process.execPath,
      [join(build, 'apps', 'ledger-cli', 'src', 'main.js'), 'seal'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, LEDGER_DATA_DIR: freshDataDir('cap'), LEDGER_JOB_HEAP_MB: '8' },
      },
    );
    expect(run.status).toBe(EXIT_USAGE);
    expect(run.stderr).toContain('LEDGER_JOB_HEAP_MB');
  });
});
