/**
 * The command-line frame: one table of commands, `--help` on each, and the exit codes the issue fixes:
 * 0 ok, 1 a violation was found, 2 usage error. A technical failure (the store cannot be opened, a disk
 * error) exits 3 so that a script never mistakes a crash for "the ledger is clean" or "bad flags".
 */
import { readEnvironment } from '@hz/config';
import { asOfText } from '@hz/kernel';
import { availableParallelism } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 3;

export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Full help text printed by `<command> --help`. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(values: OptionValues, io: CliIo): Promise<number>;
}

/** A mistake in how the command was called: printed with a hint and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export async function runCli(
  argv: readonly string[],
  commands: readonly CommandSpec[],
  io: CliIo,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview(commands));
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`ledger: unknown command "${name}"\n\n${overview(commands)}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return EXIT_OK;
  }
  return runCommand(command, rest, io);
}

async function runCommand(
  command: CommandSpec,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: command.options,
      strict: true,
      allowPositionals: false,
    });
    return await command.run(values as OptionValues, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr.write(
        `ledger ${command.name}: ${(error as Error).message}\nRun "ledger ${command.name} --help" for usage.\n`,
      );
      return EXIT_USAGE;
    }
    io.stderr.write(
      `ledger ${command.name}: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_FAILURE;
  }
}

/** node:util parseArgs throws TypeErrors tagged with ERR_PARSE_ARGS_* codes for unknown or malformed flags. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function overview(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'Usage: ledger <command> [options]   (npm run ledger -- <command> ...)',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "ledger <command> --help" for the options of a command.',
    'Exit codes: 0 ok, 1 a violation was found, 2 usage error, 3 technical failure.',
    'Environment: LEDGER_DATA_DIR (./data), LEDGER_EVENT_STORE, LEDGER_READ_STORE, DATABASE_URL,',
    '  EVENTSTORE_CONNECTION_STRING, LEDGER_JWT_SECRET (else <dataDir>/jwt-secret): the same as the service.',
    '',
  ].join('\n');
}

/** Option readers that turn a wrong value into a UsageError instead of a crash. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name} needs a value`);
  return value;
}

export function requiredString(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value.length === 0) throw new UsageError(`--${name} is required`);
  return value;
}

export function integerOption(
  values: OptionValues,
  name: string,
  range: { min: number; max: number },
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^[0-9]+$/.test(text))
    throw new UsageError(`--${name} must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < range.min || value > range.max)
    throw new UsageError(`--${name} must be between ${range.min} and ${range.max}`);
  return value;
}

/** Ledger times are ISO-8601; a bare date means the end of that business day (@hz/kernel asOfText). */
export function timeOption(values: OptionValues, name: string): Date | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const iso = asOfText(text);
  const time = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time.getTime())) {
    throw new UsageError(
      `--${name} must be an ISO-8601 time such as 2024-12-31 or 2024-12-31T16:00:00Z, got "${text}"`,
    );
  }
  return time;
}

/**
 * The commands that read the whole log (issue 13): their memory is bounded by default. Each runs in a
 * process whose V8 old generation is capped at LEDGER_JOB_HEAP_MB and whose young generation is small
 * (docs/operations.md "Memory of the whole-ledger jobs"): V8 otherwise grows the old generation to about
 * three times what is live before it collects, and reserves 48 MB for the young one.
 */
export const WHOLE_LEDGER_JOBS: readonly string[] = ['replay', 'verify', 'seal', 'export'];

/**
 * The default old-generation cap of a whole-ledger job, MB (the measured live heap is 75–95 MB at 1M);
 * LEDGER_JOB_HEAP_MB's default in @hz/config.
 */
export const JOB_HEAP_MB_DEFAULT = 128;
export const JOB_HEAP_MB_MIN = 64;
export const JOB_HEAP_MB_MAX = 65_536;
/**
 * The young generation's semi-space of every whole-ledger job but seal, MB (V8's default 16, three of
 * them): 4 took 20–60 MB off the peak of replay, verify and seal at 50k events (docs/benchmarks.md "Memory
 * bound and the compiled build"). Worker threads share the process's V8 flags, so every isolate of a
 * parallel verify or replay gets it too.
 */
export const JOB_SEMI_SPACE_MB = 4;
/**
 * The semi-space of `ledger seal`, MB. Seal keeps almost nothing live (at most log2(n) + 1 Merkle roots),
 * so a larger young generation costs it no bound: with 4, scavenges promoted its short-lived rows into the
 * old generation and seal spent about 40% more CPU at 1M events (30.0–32.6 against 14.7–21.6 CPU-s, peak
 * RSS 125 against 136–141 MB; docs/benchmarks.md "The young generation per job"). export keeps 4: 16 gave
 * it no gain; verify measured no gain from 8.
 */
export const SEAL_SEMI_SPACE_MB = 16;

/**
 * The semi-space of `ledger replay`, MB (issue 13). With 4, a batch's records and rows (alive until its
 * commit) outlived their scavenges and were promoted, and the collector was the largest line of the
 * replay's profile; 16 took 17–20% of its CPU at 1M events (docs/benchmarks.md "The young generation per
 * job"). The young generation's 3 × 12 MB more are taken from the old generation's cap
 * (REPLAY_OLD_SPACE_GIVEN_MB), so the job's V8 heap stays within LEDGER_JOB_HEAP_MB + 12 MB and its bound
 * does not move (docs/operations.md "Memory of the whole-ledger jobs").
 */
export const REPLAY_SEMI_SPACE_MB = 16;
/** The old-generation MB the replay's larger young generation takes from the cap: 3 × (16 − 4). */
export const REPLAY_OLD_SPACE_GIVEN_MB = 3 * (REPLAY_SEMI_SPACE_MB - JOB_SEMI_SPACE_MB);
/**
 * The smallest old generation the replay runs with, MB: below it (LEDGER_JOB_HEAP_MB under
 * REPLAY_OLD_SPACE_MIN_MB + REPLAY_OLD_SPACE_GIVEN_MB) it keeps the small young generation and the whole
 * cap. The live heap after a full collection was at most 57.8 MB in a replay of 1M events (989,968) with
 * 92 (docs/benchmarks.md "Replay's young generation within its bound"), so 92 leaves it a third to spare.
 */
export const REPLAY_OLD_SPACE_MIN_MB = 92;

/**
 * The most worker threads `ledger replay` uses when --workers is not given (issue 13). Measured with the
 * job's flags (docs/operations.md "Memory of the whole-ledger jobs"): peak RSS 144 MB with 1 worker, 186
 * MB with 2 and 257 MB with 4 at 50k events, 188–192 MB with 2 at 1M, so two stay under the 256 MB bound
 * with a margin and four do not.
 */
export const REPLAY_WORKERS_DEFAULT_MAX = 2;

/** `ledger replay`'s worker threads when --workers is not given: the machine's cores, at most 2. */
export function replayWorkersDefault(): number {
  return Math.max(1, Math.min(REPLAY_WORKERS_DEFAULT_MAX, availableParallelism()));
}

/**
 * The V8 generations of a job's process under the cap (MB): see the constants above. `workers` is the
 * job's --workers: a parallel replay keeps the small young generation, since V8 flags are the process's
 * and each worker thread's isolate would get the larger one too (at 50k events, `replay --workers 2`
 * peaked at 283–296 MB with it against 215–217 MB without).
 */
export function jobHeapMb(
  name: string,
  heapCapMb: number,
  workers = 1,
): { readonly oldSpaceMb: number; readonly semiSpaceMb: number } {
  if (name === 'seal') return { oldSpaceMb: heapCapMb, semiSpaceMb: SEAL_SEMI_SPACE_MB };
  if (
    name === 'replay' &&
    workers <= 1 &&
    heapCapMb - REPLAY_OLD_SPACE_GIVEN_MB >= REPLAY_OLD_SPACE_MIN_MB
  )
    return { oldSpaceMb: heapCapMb - REPLAY_OLD_SPACE_GIVEN_MB, semiSpaceMb: REPLAY_SEMI_SPACE_MB };
  return { oldSpaceMb: heapCapMb, semiSpaceMb: JOB_SEMI_SPACE_MB };
}

/** Flags that already size V8's generations (the caller's choice is kept). */
const OLD_SPACE_FLAG = /^--max[-_]old[-_]space[-_]size(=|$)/;
const SEMI_SPACE_FLAG = /^--max[-_]semi[-_]space[-_]size(=|$)/;

/**
 * The node flags a process about to run `argv` must be restarted with, or undefined when it runs as it is:
 * not a whole-ledger job, only its --help, the bound switched off (LEDGER_JOB_HEAP_MB=0), or an old
 * generation size already given to node (on its command line or in NODE_OPTIONS), which includes the
 * restarted process itself. Throws a UsageError for a LEDGER_JOB_HEAP_MB that is not 0 or 64..65536.
 */
export function jobNodeFlags(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  execArgv: readonly string[],
): string[] | undefined {
  const [name, ...rest] = argv;
  if (name === undefined || !WHOLE_LEDGER_JOBS.includes(name)) return undefined;
  if (rest.includes('--help') || rest.includes('-h')) return undefined;
  const heapCapMb = jobHeapSetting(env);
  if (heapCapMb === 0) return undefined;
  const given = [...execArgv, ...(env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  if (given.some((flag) => OLD_SPACE_FLAG.test(flag))) return undefined;
  // A young generation the caller sized is kept, with the whole cap for the old one.
  if (given.some((flag) => SEMI_SPACE_FLAG.test(flag)))
    return [`--max-old-space-size=${heapCapMb}`];
  const heap = jobHeapMb(name, heapCapMb, workersOption(rest) ?? replayWorkersDefault());
  return [`--max-old-space-size=${heap.oldSpaceMb}`, `--max-semi-space-size=${heap.semiSpaceMb}`];
}

/**
 * A job's --workers as node's parseArgs reads it (the command's own parser reads it again and refuses a
 * bad value); undefined when absent (the replay's default, replayWorkersDefault), 1 when not a number: it
 * only picks the heap's generations here.
 */
function workersOption(args: readonly string[]): number | undefined {
  const { values } = parseArgs({
    args: [...args],
    options: { workers: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  if (values['workers'] === undefined) return undefined;
  const value = Number(values['workers']);
  return Number.isSafeInteger(value) ? value : 1;
}

/** LEDGER_JOB_HEAP_MB through the one schema of the environment (@hz/config), 1..63 refused too. */
function jobHeapSetting(env: NodeJS.ProcessEnv): number {
  const { settings, problems } = readEnvironment(env, ['LEDGER_JOB_HEAP_MB']);
  const value = settings.LEDGER_JOB_HEAP_MB;
  if (problems.length > 0 || (value !== 0 && value < JOB_HEAP_MB_MIN))
    throw new UsageError(
      `LEDGER_JOB_HEAP_MB must be 0 (no cap) or a whole number of MB ${JOB_HEAP_MB_MIN}..${JOB_HEAP_MB_MAX}, got "${env['LEDGER_JOB_HEAP_MB'] ?? ''}"`,
    );
  return value;
}
