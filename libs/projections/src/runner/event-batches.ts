/**
 * Turns a subscription (an async iterable of events) into batches: a batch closes when it is full, or when
 * the first event in it has waited `flushDelayMs` (live traffic), so catch-up runs in big transactions
 * and a lone live event is still visible within the delay.
 */
import type { RecordedEvent } from '@hz/event-store';

export interface BatchingOptions {
  readonly batchSize: number;
  readonly flushDelayMs: number;
}

const DEADLINE = Symbol('deadline');

export async function* eventBatches(
  events: AsyncIterable<RecordedEvent>,
  options: BatchingOptions,
): AsyncGenerator<RecordedEvent[]> {
  if (options.batchSize < 1 || options.batchSize > 100_000)
    throw new RangeError(`batchSize must be 1..100000: ${options.batchSize}`);
  const iterator = events[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<RecordedEvent>> | undefined;
  let batch: RecordedEvent[] = [];
  let deadline:
    { readonly promise: Promise<typeof DEADLINE>; readonly cancel: () => void } | undefined;
  try {
    for (;;) {
      pending ??= iterator.next();
      const result =
        deadline === undefined ? await pending : await Promise.race([pending, deadline.promise]);
      if (result === DEADLINE) {
        deadline = undefined;
        yield batch;
        batch = [];
        continue;
      }
      pending = undefined;
      if (result.done) break;
      batch.push(result.value);
      deadline ??= timer(options.flushDelayMs);
      if (batch.length >= options.batchSize) {
        deadline.cancel();
        deadline = undefined;
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    deadline?.cancel();
    // An async generator queues return() behind a pending next(); the caller's abort signal ends that one.
    if (pending === undefined) await iterator.return?.();
    else void iterator.return?.();
  }
}

function timer(delayMs: number): {
  readonly promise: Promise<typeof DEADLINE>;
  readonly cancel: () => void;
} {
  let handle: NodeJS.Timeout | undefined;
  const promise = new Promise<typeof DEADLINE>((resolve) => {
    handle = setTimeout(() => resolve(DEADLINE), delayMs);
  });
  return { promise, cancel: () => clearTimeout(handle) };
}
