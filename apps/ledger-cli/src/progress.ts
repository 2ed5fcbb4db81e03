/**
 * A progress bar on stderr for long scans: only on a TTY or with --progress, so pipes, CI logs and --json
 * output stay clean. Redraws at most every 200 ms: a million events must not mean a million writes.
 */
import type { CliIo } from './cli-frame';

export interface ProgressReporter {
  update(done: bigint, total: bigint, eventCount: number): void;
  finish(): void;
}

const REDRAW_INTERVAL_MS = 200;
const BAR_WIDTH = 30;

export function progressReporter(io: CliIo, label: string, forced: boolean): ProgressReporter {
  const enabled = forced || io.stderr.isTTY === true;
  const interactive = io.stderr.isTTY === true;
  let lastDrawMs = 0;
  let drawn = false;
  const started = Date.now();
  return {
    update(done, total, eventCount) {
      if (!enabled) return;
      const now = Date.now();
      if (now - lastDrawMs < REDRAW_INTERVAL_MS && done < total) return;
      lastDrawMs = now;
      const ratio = total === 0n ? 1 : Number((done * 1000n) / total) / 1000;
      const filled = Math.round(ratio * BAR_WIDTH);
      const rate = Math.round(eventCount / Math.max((now - started) / 1000, 0.001));
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(ratio * 100).toFixed(1)}% ${eventCount} events, ${rate}/s`;
      io.stderr.write(interactive ? `\r${line}` : `${line}\n`);
      drawn = true;
    },
    finish() {
      if (drawn && interactive) io.stderr.write('\n');
    },
  };
}
