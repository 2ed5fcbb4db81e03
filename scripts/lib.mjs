// Shared helpers of the root npm scripts: install from the lockfile when needed, run commands loudly.
import { spawnSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs `npm ci` when node_modules is missing or was installed from another lockfile. */
export function ensureInstalled() {
  const lock = readFileSync(join(root, 'package-lock.json'));
  const digest = createHash('sha256').update(lock).digest('hex');
  const stamp = join(root, 'node_modules', '.ledger-lock-sha256');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  console.log('> npm ci (installing the locked dependencies)');
  run(npm, ['ci', '--no-audit', '--no-fund']);
  writeFileSync(stamp, digest);
}

/** Runs a command with inherited stdio; exits the process on failure unless `allowFailure`. */
export function run(command, args, { allowFailure = false, env = process.env } = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  const status = result.status ?? 1;
  if (status !== 0 && !allowFailure) {
    console.error(`\n${command} ${args.join(' ')} failed with exit code ${status}`);
    process.exit(status);
  }
  return status;
}

export function nx(args, options) {
  return run(
    process.execPath,
    [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...args],
    options,
  );
}

/** Node with the TypeScript loader: tsconfig paths and decorator metadata, no separate build step. */
export function nodeTsArgs(entry, args = []) {
  return ['-r', '@swc-node/register', entry, ...args];
}

/**
 * Node arguments that run `entry` (a TypeScript source such as apps/ledger-cli/src/main.ts) from the
 * compiled build of the current sources (scripts/build.mjs: content-addressed, built first when missing,
 * never stale), or through @swc-node/register when LEDGER_RUNTIME=swc.
 */
export async function compiledNodeArgs(entry, args = [], { env = process.env } = {}) {
  const runtime = env.LEDGER_RUNTIME ?? 'compiled';
  if (runtime === 'swc') return nodeTsArgs(entry, args);
  if (runtime !== 'compiled') {
    console.error(`LEDGER_RUNTIME must be compiled or swc, got "${runtime}"`);
    process.exit(2);
  }
  const { ensureBuilt, compiledEntry } = await import('./build.mjs');
  const dir = await ensureBuilt({ log: (line) => console.error(line) });
  return [compiledEntry(dir, entry), ...args];
}

/** Spawns a long-running child that receives our signals, and exits with its code. */
export function runForeground(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

export function dashboardBuilt() {
  return existsSync(join(root, 'dist', 'apps', 'dashboard', 'index.html'));
}

export function hasProject(name) {
  return (
    existsSync(join(root, 'apps', name, 'project.json')) ||
    existsSync(join(root, 'libs', name, 'project.json'))
  );
}
