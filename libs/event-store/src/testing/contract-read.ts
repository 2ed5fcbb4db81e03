/** Contract: reading one stream (both directions, from a revision, bounded) and the global log. */
import { StreamNotFound } from '../errors';
import type { EventStore } from '../port';
import {
  expectStrictlyIncreasingPositions,
  idsOf,
  readAllAfter,
  rejectionOf,
  revisionsOf,
} from './assertions';
import { contractCapabilities, type ContractSection } from './contract-types';
import { testEvent, testEvents } from './fixtures';

/** Streams whose first append the snapshot test races, and the bound on each reader's polls. */
const RACED_STREAMS = 40;
const RACE_READS_MAX = 100_000;

/** Five events in one stream, revisions 0..4. */
async function givenStreamOfFive(store: EventStore, stream: string): Promise<void> {
  await store.appendToStream(stream, testEvents(stream, 5), { expectedRevision: 'no_stream' });
}

export const describeReadContract: ContractSection = (context, harness) => {
  describe('readStream', () => {
    it('returns what was appended, forwards, with stream, revision and position', async () => {
      const { store, names } = context();
      const stream = names.next();
      const appended = testEvents('read', 3);
      await store.appendToStream(stream, appended, { expectedRevision: 'no_stream' });
      const events = await store.readStream(stream);
      expect(idsOf(events)).toEqual(idsOf(appended));
      expect(revisionsOf(events)).toEqual([0n, 1n, 2n]);
      expectStrictlyIncreasingPositions(events);
      events.forEach((event, index) => {
        const source = appended[index];
        expect(event.streamId).toBe(stream);
        expect(event.type).toBe(source?.type);
        expect(event.data).toEqual(source?.data);
        expect(event.metadata).toMatchObject({ ...source?.metadata });
      });
    });

    it('reads backwards from the end', async () => {
      const { store, names } = context();
      const stream = names.next();
      await givenStreamOfFive(store, stream);
      expect(revisionsOf(await store.readStream(stream, { direction: 'backwards' }))).toEqual([
        4n,
        3n,
        2n,
        1n,
        0n,
      ]);
      expect(
        revisionsOf(
          await store.readStream(stream, {
            direction: 'backwards',
            fromRevision: 'end',
            maxCount: 2,
          }),
        ),
      ).toEqual([4n, 3n]);
    });

    it('starts at fromRevision (inclusive) in either direction', async () => {
      const { store, names } = context();
      const stream = names.next();
      await givenStreamOfFive(store, stream);
      expect(revisionsOf(await store.readStream(stream, { fromRevision: 2n }))).toEqual([
        2n,
        3n,
        4n,
      ]);
      expect(
        revisionsOf(await store.readStream(stream, { fromRevision: 2n, direction: 'backwards' })),
      ).toEqual([2n, 1n, 0n]);
      expect(revisionsOf(await store.readStream(stream, { fromRevision: 'start' }))).toEqual([
        0n,
        1n,
        2n,
        3n,
        4n,
      ]);
      expect(await store.readStream(stream, { fromRevision: 5n })).toEqual([]);
    });

    it('returns at most maxCount events', async () => {
      const { store, names } = context();
      const stream = names.next();
      await givenStreamOfFive(store, stream);
      expect(revisionsOf(await store.readStream(stream, { maxCount: 2 }))).toEqual([0n, 1n]);
      expect(
        revisionsOf(await store.readStream(stream, { fromRevision: 3n, maxCount: 1 })),
      ).toEqual([3n]);
      expect(
        revisionsOf(
          await store.readStream(stream, { fromRevision: 1n, direction: 'backwards', maxCount: 5 }),
        ),
      ).toEqual([1n, 0n]);
    });

    it('throws StreamNotFound for a stream without events', async () => {
      const { store, names } = context();
      const stream = names.next();
      await store.appendToStream(names.next(), [testEvent('other')], {
        expectedRevision: 'no_stream',
      });
      for (const direction of ['forwards', 'backwards'] as const) {
        const error = await rejectionOf(store.readStream(stream, { direction }));
        expect(error).toBeInstanceOf(StreamNotFound);
        expect(error).toMatchObject({ streamId: stream });
      }
    });

    it(`sees a stream's first append whole or not at all, while readers race it (${RACED_STREAMS} streams)`, async () => {
      // The HTTP idempotency records read a stream while another request creates it; a read that saw
      // the stream exist but not its events returned [] and the API answered 500 (docs/decisions.md,
      // "Idempotency"). Readers poll each stream while its first batch of three is appended.
      const { store, names } = context();
      const torn: string[] = [];
      for (let index = 0; index < RACED_STREAMS; index += 1) {
        const stream = names.next();
        const batch = testEvents(stream, 3);
        let appended = false;
        const reader = async (): Promise<void> => {
          for (let reads = 0; reads < RACE_READS_MAX; reads += 1) {
            const seenAfterAppend = appended;
            const events = await store.readStream(stream).catch((error: unknown) => {
              if (error instanceof StreamNotFound) return null;
              throw error;
            });
            if (events !== null && idsOf(events).join() !== idsOf(batch).join())
              torn.push(`${stream}: ${events.length} events`);
            if (events === null && seenAfterAppend)
              torn.push(`${stream}: not found after its append returned`);
            if (events !== null || seenAfterAppend) return;
            // A macrotask between reads, so an adapter that answers synchronously lets the append run.
            await new Promise((resolve) => setImmediate(resolve));
          }
        };
        const readers = [reader(), reader()];
        await new Promise((resolve) => setImmediate(resolve));
        await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        appended = true;
        await Promise.all(readers);
      }
      expect(torn).toEqual([]);
    });
  });

  describe('readAll and headPosition', () => {
    it('reads the whole log in append order across streams', async () => {
      const { store, names, baseline } = context();
      const [first, second] = [names.next(), names.next()];
      await store.appendToStream(first, [testEvent('all-0')], { expectedRevision: 'no_stream' });
      await store.appendToStream(second, testEvents('all-1', 2), { expectedRevision: 'no_stream' });
      await store.appendToStream(first, [testEvent('all-2')], { expectedRevision: 0n });
      const events = await readAllAfter(store, baseline);
      expect(events.map((event) => `${event.streamId}@${event.revision}`)).toEqual([
        `${first}@0`,
        `${second}@0`,
        `${second}@1`,
        `${first}@1`,
      ]);
      expectStrictlyIncreasingPositions(events);
      expect(await store.headPosition()).toBe(events[3]?.position);
    });

    it('fromPosition is exclusive and maxCount bounds the page', async () => {
      const { store, names, baseline } = context();
      await store.appendToStream(names.next(), testEvents('page', 6), {
        expectedRevision: 'no_stream',
      });
      const all = await readAllAfter(store, baseline);
      const third = all[2];
      if (third === undefined) throw new Error('expected six events');
      const page = await store.readAll({ fromPosition: third.position, maxCount: 2 });
      expect(idsOf(page)).toEqual(idsOf(all.slice(3, 5)));
      expect(await store.readAll({ fromPosition: await store.headPosition() })).toEqual([]);
    });

    if (!contractCapabilities(harness).emptyOnCreate) return;

    it('an empty store has head position 0 and positions start at 1', async () => {
      const { store, names } = context();
      expect(await store.headPosition()).toBe(0n);
      expect(await store.readAll()).toEqual([]);
      await store.appendToStream(names.next(), [testEvent('first')], {
        expectedRevision: 'no_stream',
      });
      expect((await store.readAll())[0]?.position).toBe(1n);
    });
  });
};
