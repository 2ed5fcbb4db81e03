/**
 * The contract suite against SQLite files in the OS temp directory, plus what only SQLite promises
 * (WAL + synchronous, immutability triggers, refusing a partial replay).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DuplicateEventDifferentContent, StoreOverloaded } from '../errors';
import {
  describeEventStoreContract,
  deterministicUuid,
  FixedClock,
  rejectionOf,
  testEvent,
  testEvents,
  TsChild,
} from '../testing';
import {
  INLINE_CHECKPOINT_FRAMES,
  openSqliteEventStore,
  type SqliteEventStoreOptions,
} from './sqlite-event-store';

const directory = mkdtempSync(join(tmpdir(), 'event-store-contract-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let fileCounter = 0;
function freshFile(): string {
  fileCounter += 1;
  return join(directory, `store-${fileCounter}.db`);
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

// Group commit on with the batches on the main thread (the default), on with them on the writer thread
// (writerThread: true), and off (LEDGER_GROUP_COMMIT=off: each append its own transaction).
for (const [name, groupCommit, writerThread] of [
  ['sqlite', true, false],
  ['sqlite, writer thread', true, true],
  ['sqlite, group commit off', false, false],
] as const) {
  describeEventStoreContract(name, {
    create: async ({ clock }) => {
      const file = freshFile();
      // Small catch-up batches so the contract's subscriptions cross batch boundaries.
      const options: SqliteEventStoreOptions = {
        file,
        clock,
        subscriptionBatchSize: 4,
        pollIntervalMs: 25,
        ...(groupCommit ? {} : { groupCommit }),
        ...(writerThread ? { writerThread } : {}),
      };
      return {
        store: await openSqliteEventStore(options),
        reopen: () => openSqliteEventStore(options),
        child: {
          modulePath: join(__dirname, 'sqlite-event-store.ts'),
          exportName: 'openSqliteEventStore',
          config: { file, groupCommit, writerThread },
        },
        dispose: async () => removeDatabase(file),
      };
    },
  });
}

describe('SQLite group commit (issue 12)', () => {
  it('commits 64 appends of one turn on 64 streams in one transaction, each with its own result', async () => {
    const store = await openSqliteEventStore({ file: freshFile() });
    const before = store.groupCommitBatches ?? 0;
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, index) =>
        store.appendToStream(`gc-${index}`, [testEvent(`gc-${index}`)], {
          expectedRevision: 'no_stream',
        }),
      ),
    );
    expect((store.groupCommitBatches ?? 0) - before).toBe(1);
    expect(results.map((result) => result.nextRevision)).toEqual(Array(64).fill(0n));
    // Positions in submission order, one each, all durable in the log.
    expect(results.map((result) => result.position)).toEqual(
      Array.from({ length: 64 }, (_, index) => BigInt(index + 1)),
    );
    expect(await store.headPosition()).toBe(64n);
    await store.close();
  });

  it('past the queue bound an append is refused at once with StoreOverloaded and nothing is written', async () => {
    const store = await openSqliteEventStore({ file: freshFile(), writeQueueLimit: 2 });
    const outcomes = await Promise.allSettled(
      [0, 1, 2].map((index) =>
        store.appendToStream(`q-${index}`, [testEvent(`q-${index}`)], {
          expectedRevision: 'no_stream',
        }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(StoreOverloaded);
    await expect(store.readStream('q-2')).rejects.toThrow(/not found/);
    // The queue drained: the next append is accepted.
    await store.appendToStream('q-2', [testEvent('q-2')], { expectedRevision: 'no_stream' });
    await store.close();
  });

  it('close() commits and answers the appends already accepted', async () => {
    const file = freshFile();
    const store = await openSqliteEventStore({ file });
    const pending = store.appendToStream('c-0', testEvents('c', 3), {
      expectedRevision: 'no_stream',
    });
    await store.close();
    await expect(pending).resolves.toMatchObject({ nextRevision: 2n });
    const reopened = await openSqliteEventStore({ file });
    expect(await reopened.headPosition()).toBe(3n);
    await reopened.close();
  });
});

describe('SQLite adapter specifics', () => {
  it('uses WAL and synchronous=FULL by default, NORMAL on request, and says which', async () => {
    const file = freshFile();
    const full = await openSqliteEventStore({ file });
    expect(full.synchronous).toBe('FULL');
    await full.close();
    const normal = await openSqliteEventStore({ file, synchronous: 'NORMAL' });
    expect(normal.synchronous).toBe('NORMAL');
    await normal.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('checkpoints inline past 4000 WAL frames by default, past thresholdFrames when given', async () => {
    const autocheckpoint = (store: object): unknown =>
      (store as { db: Database.Database }).db.pragma('wal_autocheckpoint', { simple: true });
    const file = freshFile();
    const byDefault = await openSqliteEventStore({ file });
    expect(autocheckpoint(byDefault)).toBe(BigInt(INLINE_CHECKPOINT_FRAMES));
    expect(INLINE_CHECKPOINT_FRAMES).toBe(4000);
    await byDefault.close();
    const given = await openSqliteEventStore({
      file,
      checkpoint: { mode: 'inline', thresholdFrames: 500 },
    });
    expect(autocheckpoint(given)).toBe(500n);
    await given.close();
    await expect(
      openSqliteEventStore({ file, checkpoint: { mode: 'inline', thresholdFrames: 0 } }),
    ).rejects.toThrow(RangeError);
  });

  describe('Invariant 5: append only', () => {
    it('refuses UPDATE and DELETE on stored events', async () => {
      const file = freshFile();
      const store = await openSqliteEventStore({ file, clock: new FixedClock() });
      await store.appendToStream('applicant-1', [testEvent('immutable')], {
        expectedRevision: 'no_stream',
      });
      await store.close();
      const raw = new Database(file);
      expect(() => raw.prepare("UPDATE events SET data = '{}'").run()).toThrow(/immutable/);
      expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/immutable/);
      raw.close();
    });
  });

  it('refuses a call that repeats some ids of an earlier append but not all', async () => {
    const store = await openSqliteEventStore({ file: freshFile(), clock: new FixedClock() });
    const [first, second] = testEvents('partial', 2);
    if (first === undefined || second === undefined) throw new Error('two events expected');
    await store.appendToStream('applicant-2', [first], { expectedRevision: 'no_stream' });
    const error = await rejectionOf(
      store.appendToStream('applicant-2', [first, second], { expectedRevision: 'any' }),
    );
    expect(error).toBeInstanceOf(DuplicateEventDifferentContent);
    expect(await store.readStream('applicant-2')).toHaveLength(1);
    await store.close();
  });

  it('rejects non-finite numbers in data before writing anything', async () => {
    const store = await openSqliteEventStore({ file: freshFile(), clock: new FixedClock() });
    const bad = { ...testEvent('nan'), data: { amount: Number.NaN } };
    await expect(
      store.appendToStream('applicant-3', [bad], { expectedRevision: 'any' }),
    ).rejects.toThrow(/non-finite/);
    expect(await store.headPosition()).toBe(0n);
    await store.close();
  });

  it('wakes a live subscriber on an in-process append at once, without waiting for the poll', async () => {
    const store = await openSqliteEventStore({ file: freshFile(), pollIntervalMs: 60_000 });
    const subscription = store.subscribeToAll({})[Symbol.asyncIterator]();
    const next = subscription.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await store.appendToStream('applicant-4', [testEvent('wake')], {
      expectedRevision: 'no_stream',
    });
    expect((await next).value).toMatchObject({ streamId: 'applicant-4', revision: 0n });
    expect(Date.now() - started).toBeLessThan(1000);
    // Closing ends a waiting subscription rather than leaving it to wait out its minute-long poll.
    const waiting = subscription.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.close();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it('a live subscriber sees appends made by another process', async () => {
    const file = freshFile();
    const store = await openSqliteEventStore({ file, pollIntervalMs: 20 });
    const subscription = store.subscribeToAll({})[Symbol.asyncIterator]();
    const writer = new TsChild(join(__dirname, '../testing/race-writer.child.ts'), [
      JSON.stringify({
        modulePath: join(__dirname, 'sqlite-event-store.ts'),
        exportName: 'openSqliteEventStore',
        config: { file },
      }),
    ]);
    try {
      expect(JSON.parse(await writer.nextLine(20_000))).toEqual({ ready: true });
      writer.send(
        JSON.stringify({
          round: 0,
          streamId: 'applicant-5',
          expected: 'no_stream',
          startAt: 0,
          eventSeed: 'from-child',
        }),
      );
      expect(JSON.parse(await writer.nextLine(20_000))).toMatchObject({
        ok: true,
        nextRevision: '0',
      });
      expect((await subscription.next()).value).toMatchObject({
        streamId: 'applicant-5',
        id: deterministicUuid('from-child'),
      });
    } finally {
      await writer.stop();
      await store.close();
    }
  }, 30_000);

  it('stays usable when closed twice and refuses work after close', async () => {
    const store = await openSqliteEventStore({ file: freshFile() });
    await store.close();
    await store.close();
    await expect(store.headPosition()).rejects.toThrow(/closed/);
  });
});
