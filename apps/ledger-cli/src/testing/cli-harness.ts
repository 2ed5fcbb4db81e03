/**
 * Test support: runs the CLI in-process against a data dir and captures its output, and builds small
 * demo ledgers once per suite (copied per test, so every test tampers with its own file).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../cli-frame';
import { LEDGER_COMMANDS } from '../commands';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runLedger(
  dataDir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { LEDGER_DATA_DIR: dataDir, ...env },
    cwd: process.cwd(),
  };
  const code = await runCli(args, LEDGER_COMMANDS, io);
  return { code, stdout, stderr };
}

export function freshDataDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `ledger-${label}-`));
}

/** A demo ledger written once; `copy()` gives each test its own data dir holding the same events. */
export async function demoLedgerTemplate(
  applicants: number,
  years = '2023-2024',
): Promise<{ readonly dir: string; copy(): string }> {
  const dir = freshDataDir('template');
  const result = await runLedger(dir, [
    'demo',
    '--applicants',
    String(applicants),
    '--years',
    years,
    '--seed',
    '11',
    '--quiet',
  ]);
  if (result.code !== 0) throw new Error(`demo failed: ${result.stderr}`);
  return {
    dir,
    copy: () => {
      const target = freshDataDir('case');
      copyFileSync(join(dir, 'ledger.db'), join(target, 'ledger.db'));
      return target;
    },
  };
}

export interface VerifyJson {
  readonly ok: boolean;
  readonly checks: Record<string, { readonly ran: boolean; readonly violations: number }>;
  readonly findings: ReadonlyArray<{
    readonly check: string;
    readonly code: string;
    readonly message: string;
  }>;
}

export async function verifyJson(
  dataDir: string,
  extra: readonly string[] = [],
): Promise<{ code: number; report: VerifyJson }> {
  const run = await runLedger(dataDir, ['verify', '--json', ...extra]);
  if (run.code > 1) throw new Error(`verify failed to run (${run.code}): ${run.stderr}`);
  return { code: run.code, report: JSON.parse(run.stdout) as VerifyJson };
}

/** The checks that found something, for precise assertions ("this and nothing else"). */
export function failingChecks(report: VerifyJson): string[] {
  return Object.entries(report.checks)
    .filter(([, state]) => state.violations > 0)
    .map(([check]) => check)
    .sort();
}
