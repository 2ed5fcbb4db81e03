/**
 * Catch-up-then-live subscription over any store that can page its log in position order. Correct only
 * where positions become visible in order (a reader never sees position p+1 before p): true for SQLite,
 * whose writers are serialised; PostgreSQL needs its own visibility rule (docs/architecture.md §4).
 */
import type { ReadAllOptions, RecordedEvent } from './port';

export interface CatchUpSource {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Resolves once the log may hold events after `position`, or when `signal` aborts or the store closes. */
  waitForEventsAfter(position: bigint, signal: AbortSignal | undefined): Promise<void>;
  isClosed(): boolean;
}

export interface CatchUpOptions {
  readonly fromPosition?: bigint;
  readonly signal?: AbortSignal;
  /** Events read per query while catching up: bounds memory however far behind the subscriber is. */
  readonly batchSize: number;
}

/** Yields every event after `fromPosition` exactly once, in position order, until aborted or closed. */
export async function* catchUpSubscription(
  source: CatchUpSource,
  options: CatchUpOptions,
): AsyncGenerator<RecordedEvent, void, undefined> {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  const stopped = (): boolean => options.signal?.aborted === true || source.isClosed();
  let checkpoint = options.fromPosition ?? 0n;
  while (!stopped()) {
    const batch = await source.readAll({ fromPosition: checkpoint, maxCount: options.batchSize });
    for (const event of batch) {
      // Exactly-once in order rests on this: a position at or before the checkpoint would be a repeat.
      if (event.position <= checkpoint)
        throw new Error(`subscription went backwards: ${event.position} after ${checkpoint}`);
      checkpoint = event.position;
      yield event;
      if (stopped()) return;
    }
    if (batch.length < options.batchSize)
      await source.waitForEventsAfter(checkpoint, options.signal);
  }
}

/** Wakes waiting subscribers: immediately on an in-process append, or after a poll interval at the latest. */
export class AppendNotifier {
  private readonly waiters = new Set<() => void>();

  /** Resolves on notify(), after `timeoutMs`, or when `signal` aborts, whichever comes first. */
  wait(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted === true) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  notifyAll(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
