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
      const elapsedS = Math.max((now - started) / 1000, 0.001);
      const rate = Math.round(eventCount / elapsedS);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(ratio * 100).toFixed(1)}% ${eventCount} events, ${rate}/s, ETA ${formatEta(ratio, elapsedS)}`;
      io.stderr.write(interactive ? `\r${line}` : `${line}\n`);
      drawn = true;
    },
    finish() {
      if (drawn && interactive) io.stderr.write('\n');
    },
  };
}

/**
 * Time left at the average rate so far (issue 13: the CLI prints an ETA): elapsed × (1 − ratio) / ratio.
 * "--" until there is a first measurable step, "0s" when done.
 */
export function formatEta(ratio: number, elapsedS: number): string {
  if (ratio >= 1) return '0s';
  if (ratio <= 0 || !Number.isFinite(ratio)) return '--';
  const left = Math.round((elapsedS * (1 - ratio)) / ratio);
  if (left < 60) return `${left}s`;
  if (left < 3600) return `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s`;
  return `${Math.floor(left / 3600)}h${String(Math.floor((left % 3600) / 60)).padStart(2, '0')}m`;
}
