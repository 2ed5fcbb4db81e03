/**
 * Entry point of the auditor's and operator's command line:
 *   npm run ledger -- <command> [options]            (the compiled build, scripts/ledger.mjs)
 *   node dist/node/<digest>/apps/ledger-cli/src/main.js <command> [options]
 *   node -r @swc-node/register apps/ledger-cli/src/main.ts <command> [options]
 *
 * A whole-ledger job (replay, verify, seal, export) runs in a node whose V8 old generation is capped
 * (LEDGER_JOB_HEAP_MB, default 128) and whose young generation is small (docs/operations.md "Memory of
 * the whole-ledger jobs"): when this process was not started with a heap size, it starts the same command
 * again in one that is, before loading any command module, and exits with its code. Other commands run
 * here.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import {
  EXIT_FAILURE,
  EXIT_USAGE,
  jobNodeFlags,
  runCli,
  UsageError,
  type CommandSpec,
} from './cli-frame';

const argv = process.argv.slice(2);

function jobFlags(): string[] | undefined | 'refused' {
  try {
    return jobNodeFlags(argv, process.env, process.execArgv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`ledger: ${error.message}\n`);
    return 'refused';
  }
}

/** The same command in a node with the job's flags; its exit code (or 128 + signal) becomes ours. */
function runCapped(flags: readonly string[]): void {
  const script = process.argv[1];
  if (script === undefined) throw new Error('ledger: no script path in process.argv');
  const child = spawn(process.execPath, [...process.execArgv, ...flags, script, ...argv], {
    stdio: 'inherit',
  });
  // A terminal's Ctrl-C reaches both processes; a `kill <pid>` of this one is passed on.
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (error) => {
    process.stderr.write(`ledger: could not start the job process: ${error.message}\n`);
    process.exitCode = EXIT_FAILURE;
  });
  child.on('exit', (code, signal) => {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    process.exitCode = code ?? (signal ? 128 + constants.signals[signal] : EXIT_FAILURE);
  });
}

/**
 * A whole-ledger job's process loads its own command module only: the others bring NestJS, the
 * EventStoreDB client and pg (about 640 more modules, 0.3-0.4 CPU-s before the job's first event;
 * docs/benchmarks.md "Start-up of a job"). Any other command, and help, loads them all.
 */
const JOB_COMMANDS: Readonly<Record<string, () => Promise<CommandSpec>>> = {
  replay: async () => (await import('./commands/replay.command')).replayCommand,
  verify: async () => (await import('./commands/verify.command')).verifyCommand,
  seal: async () => (await import('./commands/seal.command')).sealCommand,
  export: async () => (await import('./commands/export.command')).exportCommand,
};

async function commandsFor(name: string | undefined): Promise<readonly CommandSpec[]> {
  const job =
    name === undefined || !Object.hasOwn(JOB_COMMANDS, name) ? undefined : JOB_COMMANDS[name];
  if (job !== undefined) return [await job()];
  return (await import('./commands')).LEDGER_COMMANDS;
}

async function main(): Promise<number> {
  // The commands (and the libs they load) only in the process that runs one.
  return runCli(argv, await commandsFor(argv[0]), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
}

const flags = jobFlags();
if (flags === 'refused') process.exitCode = EXIT_USAGE;
else if (flags !== undefined) runCapped(flags);
else
  void main().then((code) => {
    process.exitCode = code;
  });
