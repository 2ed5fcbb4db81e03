/** Contract: subscribeToAll catches up, goes live, delivers each event once in order, and resumes after a restart. */
import type { EventStore, RecordedEvent } from '../port';
import { readAllAfter } from './assertions';
import { contractCapabilities, type ContractSection } from './contract-types';
import { testEvent, testEvents, type StreamNames } from './fixtures';
import { expectQuietThenAbort, labels, openSubscription, take } from './subscription-helpers';

/** Generous: subscriptions wait on polls and a loaded CI machine is slow. */
const TEST_TIMEOUT_MS = 30_000;
const WRITER_BATCHES = 30;

/** Batch `index` of the deterministic writer holds 1–4 events. */
function writerBatchSize(index: number): number {
  return 1 + ((index * 5) % 4);
}

const WRITER_EVENTS = Array.from({ length: WRITER_BATCHES }, (_, index) =>
  writerBatchSize(index),
).reduce((sum, size) => sum + size, 0);

/** A deterministic writer over three streams that yields to the event loop between appends. */
async function writeInterleaved(
  store: EventStore,
  names: StreamNames,
  onBatch: (index: number) => void,
): Promise<void> {
  const streams = [names.next(), names.next(), names.next()];
  const revisions = new Map<string, bigint>();
  for (let index = 0; index < WRITER_BATCHES; index += 1) {
    const stream = streams[(index * 7) % streams.length] ?? 'unreachable';
    const current = revisions.get(stream);
    const events = testEvents(`${stream}-w${index}`, writerBatchSize(index));
    const result = await store.appendToStream(stream, events, {
      expectedRevision: current ?? 'no_stream',
    });
    revisions.set(stream, result.nextRevision);
    onBatch(index);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export const describeSubscriptionContract: ContractSection = (context, harness) => {
  const capabilities = contractCapabilities(harness);

  describe('subscribeToAll', () => {
    it(
      'catches up from the checkpoint, then delivers new appends live',
      async () => {
        const { store, names, baseline } = context();
        const stream = names.next();
        await store.appendToStream(stream, testEvents('live-a', 3), {
          expectedRevision: 'no_stream',
        });
        const subscription = openSubscription(store, baseline);
        const caughtUp = await take(subscription, 3);
        await store.appendToStream(stream, [testEvent('live-b')], { expectedRevision: 2n });
        await store.appendToStream(names.next(), [testEvent('live-c')], {
          expectedRevision: 'no_stream',
        });
        const live = await take(subscription, 2);
        expect(labels([...caughtUp, ...live])).toEqual(labels(await readAllAfter(store, baseline)));
        await expectQuietThenAbort(subscription);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'subscribers started mid-way, while a writer runs, get every later event exactly once, in order',
      async () => {
        const { store, names, baseline } = context();
        const started: Array<{
          subscription: ReturnType<typeof openSubscription>;
          after: bigint;
          received: Promise<RecordedEvent[]>;
        }> = [];
        const startSubscriber = (after: bigint, count: number): void => {
          const subscription = openSubscription(store, after);
          started.push({ subscription, after, received: take(subscription, count, 10_000) });
        };
        // One from the beginning and one from the 7th event's position, both consuming while appends go on.
        await writeInterleaved(store, names, (index) => {
          if (index !== 3) return;
          startSubscriber(baseline, WRITER_EVENTS);
          void readAllAfter(store, baseline).then((sofar) =>
            startSubscriber(sofar[6]?.position ?? baseline, WRITER_EVENTS - 7),
          );
        });
        const all = await readAllAfter(store, baseline);
        expect(all).toHaveLength(WRITER_EVENTS);
        expect(started).toHaveLength(2);
        for (const { subscription, after, received } of started) {
          expect(labels(await received)).toEqual(
            labels(all.filter((event) => event.position > after)),
          );
          await expectQuietThenAbort(subscription);
        }
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'finishes when aborted while waiting for events',
      async () => {
        const { store, baseline } = context();
        await expectQuietThenAbort(openSubscription(store, baseline), 100);
      },
      TEST_TIMEOUT_MS,
    );
  });

  if (!capabilities.reopen) return;

  describe('subscribeToAll across handles and restarts', () => {
    it(
      'a live subscriber sees appends made through another handle on the same store',
      async () => {
        const { store, names, baseline, reopen } = context();
        const subscription = openSubscription(store, baseline);
        const other = await reopen();
        await other.appendToStream(names.next(), testEvents('elsewhere', 2), {
          expectedRevision: 'no_stream',
        });
        expect(labels(await take(subscription, 2))).toEqual(
          labels(await readAllAfter(store, baseline)),
        );
        await expectQuietThenAbort(subscription);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'resumes from a checkpoint after a restart with the rest, exactly once',
      async () => {
        const { store, names, baseline, reopen } = context();
        const stream = names.next();
        await store.appendToStream(stream, testEvents('resume-a', 7), {
          expectedRevision: 'no_stream',
        });
        const before = openSubscription(store, baseline);
        const handled = await take(before, 4);
        const checkpoint = handled[3]?.position ?? baseline;
        before.controller.abort();
        await store.close();

        const restarted = await reopen();
        await restarted.appendToStream(stream, testEvents('resume-b', 2), { expectedRevision: 6n });
        const after = openSubscription(restarted, checkpoint);
        const rest = await take(after, 5);
        const all = await readAllAfter(restarted, baseline);
        expect(labels([...handled, ...rest])).toEqual(labels(all));
        await restarted.appendToStream(stream, [testEvent('resume-c')], { expectedRevision: 8n });
        expect((await take(after, 1))[0]?.revision).toBe(9n);
        await expectQuietThenAbort(after);
      },
      TEST_TIMEOUT_MS,
    );
  });
};
