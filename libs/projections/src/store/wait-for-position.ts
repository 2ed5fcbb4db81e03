/**
 * X-Min-Position: a reader that just wrote at position P can ask to see P reflected. We poll the active
 * generation's checkpoint (adapter-neutral, works across processes) for a bounded time, then give up with
 * a clear error instead of hanging a request.
 */
import type { Checkpoint, ReadStoreReader } from './read-store';

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
  for (let attempt = 0; attempt < 1 + boundedMs / POLL_INTERVAL_MS; attempt += 1) {
    const checkpoint = await reader.activeCheckpoint();
    const position = checkpoint?.position ?? 0n;
    if (checkpoint && position >= minPosition) return checkpoint;
    const waitedMs = now() - startedMs;
    if (waitedMs >= boundedMs) throw new ProjectionNotCaughtUp(minPosition, position, waitedMs);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(POLL_INTERVAL_MS, boundedMs - waitedMs)),
    );
  }
  const last = await reader.activeCheckpoint();
  throw new ProjectionNotCaughtUp(minPosition, last?.position ?? 0n, now() - startedMs);
}
