/**
 * The SQLite writer thread (writer-thread.ts, writer-worker.ts; docs/architecture.md §4 "The writer
 * thread"): the main thread keeps turning while a batch commits, and every request of a batch comes back
 * with the result or the error (same class, same fields) the in-thread path gives, including records
 * whose value the main thread computes. The contract suite (sqlite-event-store.int.spec.ts) runs against
 * both paths as well.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Decimal from 'decimal.js';
import {
  DuplicateEventDifferentContent,
  RecordConflict,
  StreamNotFound,
  WrongExpectedVersion,
} from '../errors';
import type { AppendOptions, AppendResult, NewEvent } from '../port';
import { FIXED_INSTANT, FixedClock, rejectionOf, testEvent, testEvents } from '../testing';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';

const directory = mkdtempSync(join(tmpdir(), 'event-store-writer-thread-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let fileCounter = 0;
function freshFile(): string {
  fileCounter += 1;
  return join(directory, `store-${fileCounter}.db`);
}

function answerOf(appended: AppendResult): { position: string; nextRevision: string } {
  return { position: appended.position.toString(), nextRevision: appended.nextRevision.toString() };
}

/** Main-thread event-loop turns (setImmediate) until `promise` settles. */
async function turnsWhile(promise: Promise<unknown>): Promise<number> {
  let done = false;
  void promise.finally(() => {
    done = true;
  });
  let turns = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      if (done) resolve();
      else {
        turns += 1;
        setImmediate(tick);
      }
    };
    setImmediate(tick);
  });
  await promise;
  return turns;
}

describe('SQLite writer thread', () => {
  it('is on for writerThread: true on a file with group commit; off by default, with group commit off and for :memory:', async () => {
    const stores = [
      await openSqliteEventStore({ file: freshFile(), writerThread: true }),
      await openSqliteEventStore({ file: freshFile() }),
      await openSqliteEventStore({ file: freshFile(), writerThread: true, groupCommit: false }),
      await openSqliteEventStore({ file: ':memory:', writerThread: true }),
    ];
    expect(stores.map((store) => store.usesWriterThread)).toEqual([true, false, false, false]);
    for (const store of stores) await store.close();
  });

  it('the main thread keeps turning while a batch commits on the writer thread, not on the in-thread path', async () => {
    const turns: Record<string, number> = {};
    for (const writerThread of [true, false]) {
      const store = await openSqliteEventStore({ file: freshFile(), writerThread });
      // One append of 3,000 events: hashing, inserting and the COMMIT take a while on either thread.
      turns[String(writerThread)] = await turnsWhile(
        store.appendToStream('big', testEvents('big', 3000), { expectedRevision: 'no_stream' }),
      );
      expect((await store.readStream('big')).length).toBe(3000);
      await store.close();
    }
    // In-thread the batch runs inside one turn, and the answer comes before the next.
    expect(turns['false']).toBe(0);
    expect(turns['true']).toBeGreaterThan(10);
  });

  for (const writerThread of [true, false]) {
    const path = writerThread ? 'writer thread' : 'in-thread';

    it(`${path}: one batch settles each request alone, with the in-thread path's results and error classes`, async () => {
      const store = await openSqliteEventStore({
        file: freshFile(),
        clock: new FixedClock(),
        writerThread,
      });
      const first = testEvent('first');
      const earlier = await store.appendToStream('replayed', [first], {
        expectedRevision: 'no_stream',
        record: { key: 'k-replayed', value: answerOf },
      });
      await store.appendToStream('exists', [testEvent('exists')], {
        expectedRevision: 'no_stream',
      });
      await store.records.write({ key: 'k-taken', value: { taken: true } });
      const boom = new Error('the answer could not be built');
      const before = store.groupCommitBatches ?? 0;
      const settle = async (
        streamId: string,
        events: NewEvent[],
        options: AppendOptions,
      ): Promise<{ ok: true; value: AppendResult } | { ok: false; error: unknown }> => {
        try {
          return { ok: true, value: await store.appendToStream(streamId, events, options) };
        } catch (error) {
          return { ok: false, error };
        }
      };
      const outcomes = await Promise.all([
        // 0: a computed record on a free key.
        settle('fresh', [testEvent('fresh')], {
          expectedRevision: 'no_stream',
          record: { key: 'k-fresh', value: answerOf },
        }),
        // 1: another stream's revision expected wrong.
        settle('exists', [testEvent('exists-2')], { expectedRevision: 5n }),
        // 2: the record function throws: its caller gets that very error, its events are undone.
        settle('boom', [testEvent('boom')], {
          expectedRevision: 'no_stream',
          record: {
            key: 'k-boom',
            value: () => {
              throw boom;
            },
          },
        }),
        // 3: a given value under a key that holds another.
        settle('conflict', [testEvent('conflict')], {
          expectedRevision: 'no_stream',
          record: { key: 'k-taken', value: { taken: false } },
        }),
        // 4: a replay whose computed record is already there with the same value.
        settle('replayed', [first], {
          expectedRevision: 'no_stream',
          record: { key: 'k-replayed', value: answerOf },
        }),
        // 5: an event id already stored with other data.
        settle('dupe', [{ ...first, data: { other: true } }], { expectedRevision: 'any' }),
        // 6: new events under the key request 0 records first in this batch.
        settle('second', [testEvent('second')], {
          expectedRevision: 'no_stream',
          record: { key: 'k-fresh', value: answerOf },
        }),
        // 7: a computed record that is not a JSON object.
        settle('not-object', [testEvent('not-object')], {
          expectedRevision: 'no_stream',
          record: { key: 'k-not-object', value: () => [] as never },
        }),
        // 8: a given value on a free key, after all the refusals.
        settle('plain', [testEvent('plain')], {
          expectedRevision: 'no_stream',
          record: { key: 'k-plain', value: { plain: 1 } },
        }),
        // 9: new events under a key already recorded before the batch.
        settle('late', [testEvent('late')], {
          expectedRevision: 'no_stream',
          record: { key: 'k-replayed', value: answerOf },
        }),
      ]);
      expect((store.groupCommitBatches ?? 0) - before).toBe(1);
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([
        true,
        false,
        false,
        false,
        true,
        false,
        false,
        false,
        true,
        false,
      ]);
      const errorOf = (index: number): unknown => {
        const outcome = outcomes[index];
        return outcome?.ok === false ? outcome.error : undefined;
      };
      const valueOf = (index: number): AppendResult | undefined => {
        const outcome = outcomes[index];
        return outcome?.ok === true ? outcome.value : undefined;
      };
      // Positions 1 and 2 were the setup appends; the refused requests took none.
      expect(valueOf(0)).toEqual({ nextRevision: 0n, position: 3n });
      expect(valueOf(4)).toEqual(earlier);
      expect(valueOf(8)).toEqual({ nextRevision: 0n, position: 4n });
      const wrong = errorOf(1);
      expect(wrong).toBeInstanceOf(WrongExpectedVersion);
      expect(wrong).toMatchObject({
        code: 'EVENT_STORE.WRONG_EXPECTED_VERSION',
        streamId: 'exists',
        expected: 5n,
        actual: 0n,
      });
      expect(errorOf(2)).toBe(boom);
      expect(errorOf(3)).toBeInstanceOf(RecordConflict);
      expect(errorOf(3)).toMatchObject({ code: 'EVENT_STORE.RECORD_CONFLICT', key: 'k-taken' });
      expect(errorOf(5)).toBeInstanceOf(DuplicateEventDifferentContent);
      expect(errorOf(5)).toMatchObject({ eventId: first.id, streamId: 'dupe' });
      expect(errorOf(6)).toBeInstanceOf(RecordConflict);
      expect(errorOf(6)).toMatchObject({ key: 'k-fresh' });
      expect(errorOf(9)).toBeInstanceOf(RecordConflict);
      expect(errorOf(9)).toMatchObject({ key: 'k-replayed' });
      expect(errorOf(7)).toBeInstanceOf(TypeError);
      expect(errorOf(7)).toMatchObject({ message: 'record value must be a JSON object' });
      // What committed, and nothing of what was refused.
      expect(await store.records.read('k-fresh')).toEqual({ position: '3', nextRevision: '0' });
      expect(await store.records.read('k-replayed')).toEqual(answerOf(earlier));
      expect(await store.records.read('k-taken')).toEqual({ taken: true });
      expect(await store.records.read('k-plain')).toEqual({ plain: 1 });
      for (const key of ['k-boom', 'k-not-object'])
        expect(await store.records.read(key)).toBeUndefined();
      for (const stream of ['boom', 'conflict', 'dupe', 'second', 'not-object', 'late'])
        expect(await rejectionOf(store.readStream(stream))).toBeInstanceOf(StreamNotFound);
      const [fresh] = await store.readStream('fresh');
      expect(fresh?.metadata['recordedAt']).toBe(FIXED_INSTANT);
      expect(await store.headPosition()).toBe(4n);
      await store.close();
    });
  }

  it('stores a Decimal or a Date in data as the in-thread path does (their JSON)', async () => {
    const data = {
      amount: new Decimal('1250.10'),
      at: new Date(FIXED_INSTANT),
      nested: { list: [new Decimal('0.5'), 'x'] },
    } as unknown as NewEvent['data'];
    const stored: string[] = [];
    for (const writerThread of [true, false]) {
      const file = freshFile();
      const store = await openSqliteEventStore({ file, writerThread });
      await store.appendToStream('s', [{ ...testEvent('decimal'), data }], {
        expectedRevision: 'no_stream',
      });
      await store.close();
      const db = new Database(file, { readonly: true });
      stored.push((db.prepare('SELECT data FROM events').get() as { data: string }).data);
      db.close();
    }
    expect(stored[0]).toBe(
      '{"amount":"1250.1","at":"2024-03-01T08:00:00.000Z","nested":{"list":["0.5","x"]}}',
    );
    expect(stored[1]).toBe(stored[0]);
  });

  it('a lock held by another connection arrives as SqliteError SQLITE_BUSY, nothing written', async () => {
    const file = freshFile();
    const store: SqliteEventStore = await openSqliteEventStore({
      file,
      busyTimeoutMs: 50,
      writerThread: true,
    });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const error = await rejectionOf(
      store.appendToStream('busy', [testEvent('busy')], { expectedRevision: 'no_stream' }),
    );
    other.exec('ROLLBACK');
    other.close();
    expect(error).toBeInstanceOf(Database.SqliteError);
    expect(error).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(await rejectionOf(store.readStream('busy'))).toBeInstanceOf(StreamNotFound);
    // The writer stays usable once the lock is gone.
    await store.appendToStream('busy', [testEvent('busy')], { expectedRevision: 'no_stream' });
    expect((await store.readStream('busy')).length).toBe(1);
    await store.close();
  });

  it('close() answers the appends already accepted, then refuses work', async () => {
    const file = freshFile();
    const store = await openSqliteEventStore({ file, writerThread: true });
    const pending = Array.from({ length: 20 }, (_, index) =>
      store.appendToStream(`c-${index}`, [testEvent(`c-${index}`)], {
        expectedRevision: 'no_stream',
      }),
    );
    await store.close();
    expect((await Promise.all(pending)).length).toBe(20);
    await expect(
      store.appendToStream('late', [testEvent('late')], { expectedRevision: 'no_stream' }),
    ).rejects.toThrow(/closed/);
    const reopened = await openSqliteEventStore({ file });
    expect(await reopened.headPosition()).toBe(20n);
    await reopened.close();
  });

  it('StreamNotFound carries no stack frames (it is an answer, not a fault)', async () => {
    const store = await openSqliteEventStore({ file: freshFile(), writerThread: true });
    const error = await rejectionOf(store.readStream('nobody'));
    expect(error).toBeInstanceOf(StreamNotFound);
    expect(error).toMatchObject({ code: 'EVENT_STORE.STREAM_NOT_FOUND', streamId: 'nobody' });
    expect((error as Error).stack).not.toMatch(/\n\s+at /);
    // Other errors keep theirs.
    expect(new Error('x').stack).toMatch(/\n\s+at /);
    await store.close();
  });
});
