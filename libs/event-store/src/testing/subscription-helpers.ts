/** Helpers to drive a subscription step by step with timeouts, so a broken adapter fails instead of hanging. */
import type { EventStore, RecordedEvent } from '../port';

export interface OpenSubscription {
  readonly iterator: AsyncIterator<RecordedEvent>;
  readonly controller: AbortController;
}

export function openSubscription(store: EventStore, fromPosition: bigint): OpenSubscription {
  const controller = new AbortController();
  const events = store.subscribeToAll({ fromPosition, signal: controller.signal });
  const iterator = events[Symbol.asyncIterator]();
  return { iterator, controller };
}

function timeout(ms: number, what: string): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** The next `count` events; fails if the subscription ends or stalls. */
export async function take(
  subscription: OpenSubscription,
  count: number,
  timeoutMs = 5000,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  while (events.length < count) {
    const guard = timeout(timeoutMs, `event ${events.length + 1} of ${count}`);
    try {
      const next = await Promise.race([subscription.iterator.next(), guard.promise]);
      if (next.done === true)
        throw new Error(`subscription ended after ${events.length} of ${count} events`);
      events.push(next.value);
    } finally {
      guard.cancel();
    }
  }
  return events;
}

/**
 * Asserts nothing more arrives within `quietMs` (longer than any poll interval), then aborts and expects
 * the subscription to finish promptly: no duplicates trail behind and abort really stops it.
 */
export async function expectQuietThenAbort(
  subscription: OpenSubscription,
  quietMs = 300,
): Promise<void> {
  const pending = subscription.iterator.next();
  const quiet = Symbol('quiet');
  const first = await Promise.race([
    pending,
    new Promise<typeof quiet>((resolve) => setTimeout(() => resolve(quiet), quietMs)),
  ]);
  if (first !== quiet)
    throw new Error(
      `unexpected extra event: ${JSON.stringify(first, (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value))}`,
    );
  subscription.controller.abort();
  const guard = timeout(2000, 'end of the subscription after abort');
  try {
    const last = await Promise.race([pending, guard.promise]);
    expect(last.done).toBe(true);
  } finally {
    guard.cancel();
  }
}

/** Stable, comparable labels: which event, where. */
export function labels(events: readonly RecordedEvent[]): string[] {
  return events.map((event) => `${event.streamId}@${event.revision}#${event.position}`);
}
