import type { EventStore, ReadAllOptions, RecordedEvent } from '@hz/event-store';
import { BoundedLog } from './bounded-log';

/** A log of n events, one a minute from 2024-01-01T00:00Z, with one clock step back at position 4. */
function log(count: number): Pick<EventStore, 'readAll' | 'headPosition'> {
  const events = Array.from({ length: count }, (_, index) => {
    const minute = index === 3 ? 1 : index;
    return {
      position: BigInt(index + 1),
      metadata: { recordedAt: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString() },
    } as unknown as RecordedEvent;
  });
  return {
    headPosition: async () => BigInt(count),
    readAll: async (options: ReadAllOptions = {}) =>
      events
        .filter((event) => event.position > (options.fromPosition ?? 0n))
        .slice(0, options.maxCount ?? 1000),
  };
}

async function drain(view: BoundedLog, pageSize: number): Promise<bigint[]> {
  const positions: bigint[] = [];
  for (let from = 0n; ;) {
    const page = await view.readAll({ fromPosition: from, maxCount: pageSize });
    if (page.length === 0) return positions;
    positions.push(...page.map((event) => event.position));
    from = page[page.length - 1]!.position;
  }
}

describe('BoundedLog', () => {
  it('ends at --until-position whatever the page size', async () => {
    expect(await drain(new BoundedLog(log(10), { untilPosition: 7n }), 3)).toEqual([
      1n,
      2n,
      3n,
      4n,
      5n,
      6n,
      7n,
    ]);
    expect(await new BoundedLog(log(10), { untilPosition: 7n }).headPosition()).toBe(7n);
  });

  it('ends at the last event recorded by --as-of, keeping a late-stamped event inside the prefix', async () => {
    const asOfMs = Date.UTC(2024, 0, 1, 0, 5);
    // Position 4 carries 00:01 after 00:02: the watermark keeps it inside, as the projections do.
    expect(await drain(new BoundedLog(log(10), { asOfMs }), 4)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
  });
});
