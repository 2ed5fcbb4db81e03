/**
 * Runs a TypeScript file in a child Node process (`node -r @swc-node/register`) and talks to it by lines:
 * the two-process race and the crash test need a second real process, not a second connection.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const STDERR_KEPT_MAX = 64 * 1024;

export class TsChild {
  readonly process: ChildProcessWithoutNullStreams;
  readonly exited: Promise<ChildExit>;
  private readonly lines: string[] = [];
  private readonly readers: Array<() => void> = [];
  private stderrText = '';
  private exit: ChildExit | undefined;

  constructor(scriptPath: string, args: readonly string[]) {
    this.process = spawn(process.execPath, ['-r', '@swc-node/register', scriptPath, ...args], {
      // The workspace root, so @swc-node/register finds tsconfig.json and node_modules.
      cwd: workspaceRoot(),
    });
    this.exited = new Promise((resolve) => {
      this.process.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.wakeReaders();
        resolve(this.exit);
      });
    });
    createInterface({ input: this.process.stdout }).on('line', (line) => {
      this.lines.push(line);
      this.wakeReaders();
    });
    this.process.stderr.on('data', (chunk: Buffer) => {
      if (this.stderrText.length < STDERR_KEPT_MAX) this.stderrText += chunk.toString('utf8');
    });
  }

  /** The next stdout line; rejects if the child exits first or nothing arrives within `timeoutMs`. */
  async nextLine(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.exit !== undefined)
        throw new Error(
          `child exited (${JSON.stringify(this.exit)}) without a line; stderr:\n${this.stderrText}`,
        );
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(`no line from child within ${timeoutMs} ms; stderr:\n${this.stderrText}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.readers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every line received so far that nobody has read yet. */
  drainLines(): string[] {
    return this.lines.splice(0, this.lines.length);
  }

  send(line: string): void {
    this.process.stdin.write(`${line}\n`);
  }

  stderr(): string {
    return this.stderrText;
  }

  /** Ends the child (stdin closed, then SIGKILL if it lingers) and waits for it. */
  async stop(graceMs = 2000): Promise<ChildExit> {
    if (this.exit !== undefined) return this.exit;
    this.process.stdin.end();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  private wakeReaders(): void {
    for (const reader of this.readers.splice(0, this.readers.length)) reader();
  }
}

let root: string | undefined;

/** The nearest ancestor of this file holding nx.json. */
export function workspaceRoot(): string {
  if (root !== undefined) return root;
  let directory = __dirname;
  for (let depth = 0; depth < 32; depth += 1) {
    if (existsSync(join(directory, 'nx.json'))) return (root = directory);
    directory = dirname(directory);
  }
  throw new Error(`no nx.json above ${__dirname}`);
}
