/**
 * The real ledger-api in a child process, started the way `npm start` starts it (apps/ledger-api/src/
 * main.ts under @swc-node/register) with its configuration in the environment: for the specs that must
 * kill the service (SIGKILL) and start it again on the same data dir or database. The in-process
 * startTestServer (server.ts) cannot be killed without killing the test.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'apps', 'ledger-api', 'src', 'main.ts');
/** The last lines of the child's output, kept for the message when it fails to start. */
const KEPT_LINES_MAX = 40;

export interface LedgerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class LedgerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<LedgerExit>;
  private readonly lines: string[] = [];
  private api: string | undefined;
  private wakeStarted: (() => void) | undefined;

  /** `env` is the whole environment of the child (the caller spreads process.env into it). */
  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], { cwd: ROOT, env });
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        this.wakeStarted?.();
        resolve({ code, signal });
      });
    });
    // Read everything (one JSON line per request at info level): a full pipe would stall the child.
    const keep = (line: string) => {
      this.lines.push(line);
      if (this.lines.length > KEPT_LINES_MAX) this.lines.shift();
    };
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      keep(line);
      if (this.api === undefined && line.includes('"startup"')) {
        const parsed = JSON.parse(line) as { event?: string; api?: string };
        if (parsed.event === 'startup' && typeof parsed.api === 'string') {
          this.api = parsed.api;
          this.wakeStarted?.();
        }
      }
    });
    createInterface({ input: this.child.stderr }).on('line', keep);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The API base URL from the start-up line (docs/operations.md), once the server listens. */
  async started(timeoutMs: number): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        this.wakeStarted = resolve;
        if (this.api !== undefined || this.child.exitCode !== null) resolve();
      }),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    if (this.api === undefined)
      throw new Error(`ledger-api did not start within ${timeoutMs} ms:\n${this.output()}`);
    return this.api;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM (Nest's shutdown hooks close the stores), SIGKILL if it lingers past `graceMs`. */
  async stop(graceMs = 10_000): Promise<LedgerExit> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  output(): string {
    return this.lines.join('\n');
  }
}
