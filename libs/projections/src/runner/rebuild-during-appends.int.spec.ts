/**
 * Invariant 6 when the log moves during a rebuild: events appended after the new generation's first
 * catch-up, and already projected by the live generation, must be in the new generation before readers
 * are switched to it; after the switch it equals the retired live generation byte for byte.
 */
import type { EventStore } from '@hz/event-store';
import { generateEvents, seededRandom, TestStores } from '../testing';
import { ProjectionSupervisor } from './projection-supervisor';

jest.setTimeout(60_000);

let stores: TestStores;
beforeEach(() => {
  stores = TestStores.create('projections-rebuild-appends-');
});
afterEach(async () => {
  await stores.close();
});

async function dump(generation: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of stores.reads.dumpGeneration(generation)) lines.push(line);
  return lines;
}

async function liveCaughtUp(): Promise<void> {
  const head = await stores.events.headPosition();
  for (let attempt = 0; attempt < 4000; attempt += 1) {
    if (((await stores.reads.activeCheckpoint())?.position ?? 0n) >= head) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the live generation did not catch up');
}

/**
 * The event store as the rebuild sees it: when a catch-up first reaches the end of the log, more events
 * are appended and the live generation projects them before the catch-up is told it is done.
 */
function appendingWhenCaughtUp(late: Parameters<TestStores['append']>[0]): EventStore {
  let appended = false;
  return new Proxy(stores.events, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property !== 'readAll' || typeof value !== 'function')
        return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: Parameters<EventStore['readAll']>) => {
        const page = await target.readAll(...args);
        if (page.length === 0 && !appended) {
          appended = true;
          await stores.append(late);
          await liveCaughtUp();
        }
        return page;
      };
    },
  });
}

describe('Invariant 6: rebuild = live', () => {
  it('takes the events appended during a rebuild before switching, and then equals the live generation', async () => {
    const events = generateEvents(seededRandom(41), 400, { activeApplicants: 6 });
    await stores.append(events.slice(0, 300));
    const supervisor = new ProjectionSupervisor(
      appendingWhenCaughtUp(events.slice(300)),
      stores.reads,
      { batchSize: 50, flushDelayMs: 2 },
    );
    try {
      await supervisor.start();
      await liveCaughtUp();
      const live = (await stores.reads.activeCheckpoint())?.generation ?? 0;

      const rebuilt = await supervisor.rebuild();

      const head = await stores.events.headPosition();
      expect(head).toBe(400n);
      expect(rebuilt.checkpoint.position).toBe(head);
      expect(await stores.reads.activeCheckpoint()).toMatchObject({
        generation: rebuilt.generation,
        position: head,
      });
      expect(await dump(rebuilt.generation)).toEqual(await dump(live));
    } finally {
      await supervisor.stop();
    }
  });
});
