/**
 * The real service for the browser suite: the dashboard is built (if it is not already), a deterministic
 * demo ledger is written into a fresh temp dir through the CLI's own `demo` command, then ledger-api
 * starts in-process on that dir and serves the built dashboard at /.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AuditLogger, mintToken, type Role } from '@hz/auth';
// There is no path alias for apps (they are not libraries); the suite needs their real entry points.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadConfig, startServer, type StartedServer } from '../../../../apps/ledger-api/src';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { demoCommand } from '../../../../apps/ledger-cli/src/commands/demo.command';

export const WORKSPACE = resolve(__dirname, '../../../..');
export const DASHBOARD_DIR = join(WORKSPACE, 'dist', 'apps', 'dashboard');

export interface LedgerUnderTest {
  readonly server: StartedServer;
  /** e.g. http://127.0.0.1:41234/ (the dashboard) */
  readonly url: string;
  /** e.g. http://127.0.0.1:41234/api/v1 */
  readonly api: string;
  token(sub: string, roles: Role[], applicant?: string): Promise<string>;
  stop(): Promise<void>;
}

/** `npm test` builds the dashboard first; a lone `nx test browser` builds it here if it is missing. */
export function ensureDashboardBuilt(): void {
  if (existsSync(join(DASHBOARD_DIR, 'index.html'))) return;
  const vite = join(WORKSPACE, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'apps/dashboard/vite.config.mts'],
    // The production build users get: jest sets NODE_ENV=test, which would bundle React's development
    // build (StrictMode runs effects twice there).
    { cwd: WORKSPACE, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (result.status !== 0) throw new Error('vite build of the dashboard failed');
}

/** Writes the demo ledger with the CLI's `demo` command (the real command path), into `dataDir`. */
export async function writeDemo(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  applicants: number,
): Promise<string> {
  let output = '';
  const io = {
    stdout: { write: (text: string) => (output += text) },
    stderr: { write: (text: string) => (output += text) },
    env: { ...env, LEDGER_DATA_DIR: dataDir },
    cwd: WORKSPACE,
  };
  const exitCode = await demoCommand.run(
    { applicants: String(applicants), seed: '7', quiet: true },
    io,
  );
  if (exitCode !== 0) throw new Error(`ledger demo exited with ${exitCode}: ${output}`);
  return output.trim();
}

export async function startLedger(options: {
  applicants: number;
}): Promise<LedgerUnderTest & { demoSummary: string }> {
  ensureDashboardBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'hz-browser-'));
  let server: StartedServer | undefined;
  try {
    // Embedded default whatever the caller's environment says: SQLite events and read models in the temp dir.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LEDGER_EVENT_STORE: 'sqlite',
      LEDGER_READ_STORE: 'sqlite',
      LEDGER_DATA_DIR: dataDir,
    };
    delete env['LEDGER_JWKS_URL'];
    const demoSummary = await writeDemo(dataDir, env, options.applicants);
    const config = loadConfig(
      { ...env, PORT: '0', LEDGER_HOST: '127.0.0.1', LEDGER_DASHBOARD_DIR: DASHBOARD_DIR },
      WORKSPACE,
    );
    server = await startServer(config, { logLevels: ['error'] });
    const started = server;
    const secret = started.jwtSecret;
    if (!secret) throw new Error('the browser suite mints HS256 tokens');
    // Refusals are logged by the service; the suite provokes some on purpose, so keep its output quiet.
    started.app.get(AuditLogger).useSink(() => undefined);
    await projectionsCaughtUp(started.apiUrl);
    return {
      server: started,
      demoSummary,
      url: `${started.url}/`,
      api: started.apiUrl,
      token: (sub, roles, applicant) => mintToken({ sub, roles, applicant, secret, ttl: 3600 }),
      stop: async () => {
        await started.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The in-process projector catches up with the demo's events after start-up; the suite compares the UI
 * with the API, so it starts once the read models have reached the head of the log (bounded wait).
 */
async function projectionsCaughtUp(baseUrl: string, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  let last: unknown = null;
  while (Date.now() - started < timeoutMs) {
    const response = await fetch(`${baseUrl}/health/ready`);
    last = await response.json();
    const projections = (last as { projections?: { state?: string; error?: string | null } })
      .projections;
    if (projections?.state === 'caught_up' || projections?.state === 'absent') return;
    if (projections?.state === 'stopped')
      throw new Error(`the projector stopped: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the projections did not catch up in ${timeoutMs} ms: ${JSON.stringify(last)}`);
}
