/**
 * SqliteEventStore.walStatus (EventStore.walStatus; docs/operations.md "Metrics"): the WAL's length and
 * the checkpoints of the thread and of the writer, read when asked, as the metrics scrape shows them.
 * Drives the checkpointer thread as checkpointer.int.spec.ts does: a small threshold, terminate() for a
 * dead thread.
 */
import { scratchFiles, walFillingEvent } from '../testing';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';

const files = scratchFiles('event-store-wal-status-');
afterAll(() => files.remove());
const freshFile = files.next;

async function appendOneByOne(store: SqliteEventStore, count: number, seed: string) {
  for (let at = 0; at < count; at += 1)
    await store.appendToStream(`${seed}-${at}`, [walFillingEvent(`${seed}-${at}`)], {
      expectedRevision: 'no_stream',
    });
}

describe('SqliteEventStore.walStatus', () => {
  it('is undefined for a store in memory', async () => {
    const store = await openSqliteEventStore({ file: ':memory:' });
    try {
      await appendOneByOne(store, 3, 'memory');
      expect(store.walStatus()).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('inline: the WAL grows with commits, no checkpointer thread, nothing counted', async () => {
    const store = await openSqliteEventStore({ file: freshFile() });
    try {
      const before = store.walStatus();
      expect(before).toEqual(expect.objectContaining({ checkpointerThread: 'none' }));
      await appendOneByOne(store, 20, 'inline');
      const after = store.walStatus();
      expect(after).toEqual({
        frames: expect.any(Number),
        waiting: expect.any(Number),
        checkpointerThread: 'none',
        threadCheckpoints: 0,
        writerCheckpoints: 0,
      });
      // Twenty commits of about two pages each, under the 4000 frames of the inline checkpoint.
      expect(after?.frames).toBeGreaterThanOrEqual((before?.frames ?? 0) + 40);
      expect(after?.waiting).toBe(after?.frames);
    } finally {
      await store.close();
    }
    expect(store.walStatus()).toBeUndefined();
  });

  it('thread: none before the first commit, then running, its checkpoints counted past the threshold', async () => {
    const store = await openSqliteEventStore({
      file: freshFile(),
      checkpoint: { mode: 'thread', thresholdFrames: 50, hardLimitFrames: 1_000_000 },
    });
    try {
      expect(store.walStatus()?.checkpointerThread).toBe('none');
      await appendOneByOne(store, 5, 'first');
      const early = store.walStatus();
      expect(early?.checkpointerThread).toBe('running');
      expect(early?.frames).toBeGreaterThan(0);
      expect(early?.waiting).toBeGreaterThan(0);
      expect(early?.waiting).toBeLessThanOrEqual(early?.frames ?? 0);
      // Past the 50 frames of the threshold the thread copies them back, and counts it. It looks when a
      // commit wakes it, so commits go on until it has (the first ones may come before it started).
      await appendOneByOne(store, 30, 'past');
      for (let more = 0; (store.walStatus()?.threadCheckpoints ?? 0) === 0; more += 1) {
        if (more === 500) throw new Error('the checkpointer thread never checkpointed');
        await appendOneByOne(store, 1, `more-${more}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const later = store.walStatus();
      expect(later?.threadCheckpoints).toBe(store.checkpointerThread?.checkpoints);
      expect(later?.checkpointerThread).toBe('running');
      // The hard limit is out of reach: the writer never checkpointed itself.
      expect(later?.writerCheckpoints).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('thread: failed once the thread is gone, and the writer checkpoints past the hard limit', async () => {
    const store = await openSqliteEventStore({
      file: freshFile(),
      checkpoint: { mode: 'thread', thresholdFrames: 1_000_000, hardLimitFrames: 300 },
    });
    try {
      await appendOneByOne(store, 1, 'first');
      expect(store.walStatus()?.checkpointerThread).toBe('running');
      await store.checkpointerThread?.terminate();
      const dead = store.walStatus();
      expect(dead?.checkpointerThread).toBe('failed');
      expect(dead?.writerCheckpoints).toBe(0);
      await appendOneByOne(store, 400, 'bounded');
      const after = store.walStatus();
      expect(after?.checkpointerThread).toBe('failed');
      expect(after?.writerCheckpoints).toBeGreaterThan(0);
      expect(after?.writerCheckpoints).toBe(store.checkpointerThread?.inlineCheckpoints);
      expect(after?.threadCheckpoints).toBe(0);
      // The writer's checkpoints keep the WAL near the hard limit (one commit's frames past it at most).
      expect(after?.frames).toBeLessThanOrEqual(300 + 20);
    } finally {
      await store.close();
    }
    expect(store.walStatus()).toBeUndefined();
  });
});
