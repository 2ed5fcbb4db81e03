/** Small helpers that keep contract tests reading as given / when / then. */
import type { EventStore, RecordedEvent } from '../port';

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

/** Every event after `fromPosition`, paging through readAll. */
export async function readAllAfter(
  store: EventStore,
  fromPosition: bigint,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let checkpoint = fromPosition;
  for (let page = 0; page < 10_000; page += 1) {
    const batch = await store.readAll({ fromPosition: checkpoint, maxCount: 500 });
    events.push(...batch);
    const last = batch[batch.length - 1];
    if (last === undefined) return events;
    checkpoint = last.position;
  }
  throw new Error('readAll did not end within 10,000 pages');
}

export function revisionsOf(events: readonly RecordedEvent[]): bigint[] {
  return events.map((event) => event.revision);
}

export function idsOf(events: readonly { readonly id: string }[]): string[] {
  return events.map((event) => event.id);
}

/** Positions must grow strictly; they need not be dense (EventStoreDB's are commit offsets). */
export function expectStrictlyIncreasingPositions(events: readonly RecordedEvent[]): void {
  for (let index = 1; index < events.length; index += 1) {
    const previous = events[index - 1];
    const current = events[index];
    if (previous === undefined || current === undefined)
      throw new Error('unreachable: index within bounds');
    expect(current.position > previous.position).toBe(true);
  }
}
