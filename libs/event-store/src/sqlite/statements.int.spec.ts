/**
 * Bounded reads with their limit written into the SQL (statements.ts `limitedStatements`): one prepared
 * statement per limit value, at most LIMITED_STATEMENTS_MAX kept, the same rows as a bound `LIMIT ?` for
 * every limit, and nothing but a positive integer ever written into the SQL text.
 */
import Database from 'better-sqlite3';
import { testEvents } from '../testing';
import { openDatabase } from './schema';
import { openSqliteEventStore } from './sqlite-event-store';
import { LIMITED_STATEMENTS_MAX, limitedStatements, type EventRow } from './statements';

describe('limitedStatements', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = openDatabase({ file: ':memory:', synchronous: 'FULL', busyTimeoutMs: 1000 });
    const insert = db.prepare(
      "INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, 't', '{}', '{}')",
    );
    for (let revision = 0; revision < 40; revision += 1)
      insert.run('s', BigInt(revision), `e${revision}`);
  });
  afterEach(() => db.close());

  const sql =
    'SELECT position, stream_id, revision, event_id, type, data, metadata FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT';

  it('gives the rows of a bound LIMIT for every limit, one statement per limit value', () => {
    const limited = limitedStatements<[string, bigint]>(db, sql);
    const bound = db.prepare<[string, bigint, number], EventRow>(`${sql} ?`);
    // More limit values than the bound, twice over and out of order, so evicted ones are prepared again.
    const limits = [...Array(2 * LIMITED_STATEMENTS_MAX + 3).keys()].map(
      (index) => ((index * 7) % 37) + 1,
    );
    for (const limit of [...limits, ...limits.reverse()]) {
      const rows = limited(limit).all('s', 2n);
      expect(rows).toEqual(bound.all('s', 2n, limit));
      expect(rows).toHaveLength(Math.min(limit, 38));
    }
  });

  it('keeps a statement per limit until LIMITED_STATEMENTS_MAX others were prepared after it', () => {
    const limited = limitedStatements<[string, bigint]>(db, sql);
    const first = limited(1);
    expect(limited(1)).toBe(first);
    expect(limited(1).source).toBe(`${sql} 1`);
    for (let limit = 2; limit <= LIMITED_STATEMENTS_MAX; limit += 1) limited(limit);
    expect(limited(1)).toBe(first); // 16 kept: still there
    const second = limited(2);
    limited(LIMITED_STATEMENTS_MAX + 1); // the 17th drops the first prepared (1)
    expect(limited(2)).toBe(second);
    expect(limited(1)).not.toBe(first);
    expect(limited(1).all('s', 0n)).toHaveLength(1);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'refuses %p as a limit without preparing anything',
    (limit) => {
      const prepare = jest.spyOn(db, 'prepare');
      const limited = limitedStatements<[string, bigint]>(db, sql);
      expect(() => limited(limit)).toThrow(RangeError);
      expect(prepare).not.toHaveBeenCalled();
    },
  );
});

describe('SqliteEventStore bounded reads', () => {
  it('readStream and readAll return maxCount events for more limit values than are kept', async () => {
    const store = await openSqliteEventStore({ file: ':memory:' });
    try {
      await store.appendToStream('s', testEvents('s', 30), { expectedRevision: 'no_stream' });
      const all = await store.readStream('s');
      const counts = [...Array(LIMITED_STATEMENTS_MAX + 6).keys()].map((index) => index + 1);
      for (const maxCount of [...counts, ...counts]) {
        expect(await store.readStream('s', { maxCount })).toEqual(all.slice(0, maxCount));
        expect(await store.readStream('s', { direction: 'backwards', maxCount })).toEqual(
          [...all].reverse().slice(0, maxCount),
        );
        expect(
          await store.readStream('s', { fromRevision: 3n, direction: 'backwards', maxCount }),
        ).toEqual(all.slice(0, 4).reverse().slice(0, maxCount));
        expect(await store.readAll({ fromPosition: 2n, maxCount })).toEqual(
          all.slice(2, 2 + maxCount),
        );
      }
    } finally {
      await store.close();
    }
  });
});
