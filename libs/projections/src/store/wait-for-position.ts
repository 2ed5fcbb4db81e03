/**
 * X-Min-Position: a reader that just wrote at position P can ask to see P reflected. We re-read the
 * active generation's checkpoint (adapter-neutral) whenever a projection runner of this process commits
 * (readModelCommits, issue 12: no 20 ms poll between the projector's commit and the answer), and every
 * POLL_INTERVAL_MS as the fallback for a projector in another process (apps/projector), for a bounded
 * time, then give up with a clear error instead of hanging a request.
 */
import { AppendNotifier } from '@hz/event-store';
import type { Checkpoint, ReadStoreReader } from './read-store';

/** Woken by every projection runner of this process after each committed batch (projection-runner.ts). */
export const readModelCommits = new AppendNotifier();

/** Default and largest wait; the public contract documents 5 s. */
export const MIN_POSITION_WAIT_DEFAULT_MS = 5000;
export const MIN_POSITION_WAIT_MAX_MS = 30_000;
const POLL_INTERVAL_MS = 20;

export class ProjectionNotCaughtUp extends Error {
  readonly code = 'PROJECTION.NOT_CAUGHT_UP';
  constructor(
    readonly minPosition: bigint,
    readonly checkpoint: bigint,
    readonly waitedMs: number,
  ) {
    super(
      `the read models are at position ${checkpoint}, not yet at ${minPosition}, after waiting ${waitedMs} ms; retry shortly`,
    );
    this.name = 'ProjectionNotCaughtUp';
  }
}

export async function waitForPosition(
  reader: Pick<ReadStoreReader, 'activeCheckpoint'>,
  minPosition: bigint,
  timeoutMs: number = MIN_POSITION_WAIT_DEFAULT_MS,
  now: () => number = Date.now,
): Promise<Checkpoint> {
  const boundedMs = Math.max(0, Math.min(timeoutMs, MIN_POSITION_WAIT_MAX_MS));
  const startedMs = now();
  // Bounded by time, not by a count of polls: commit notifications may wake the loop many times.
  for (;;) {
    const checkpoint = await reader.activeCheckpoint();
    const position = checkpoint?.position ?? 0n;
    if (checkpoint && position >= minPosition) return checkpoint;
    const waitedMs = now() - startedMs;
    if (waitedMs >= boundedMs) throw new ProjectionNotCaughtUp(minPosition, position, waitedMs);
    await readModelCommits.wait(Math.min(POLL_INTERVAL_MS, boundedMs - waitedMs), undefined);
  }
}
