/**
 * What only the PostgreSQL adapter promises: concurrent schema creation, immutability, the reader
 * horizon (held back by an open transaction of this database, not by one elsewhere), the global append
 * lock never leaking, and a caller-owned pool.
 */
import { Client, Pool } from 'pg';
import { DuplicateEventDifferentContent } from '../errors';
import { canonicalJson } from '@hz/kernel';
import { FixedClock, rejectionOf, testEvent, testEvents } from '../testing';
import { openSubscription, take, expectQuietThenAbort } from '../testing/subscription-helpers';
import { appendWithinTransaction } from './append';
import { openPostgresEventStore, type PostgresEventStore } from './postgres-event-store';
import {
  createThrowawayDatabase,
  DEFAULT_ADMIN_URL,
  type ThrowawayDatabase,
} from './throwaway-database';

let database: ThrowawayDatabase;
let schemaCounter = 0;
const opened: PostgresEventStore[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  database = await createThrowawayDatabase('ledger_adapter');
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const client of clients.splice(0)) await client.end();
});

afterAll(async () => {
  await database.drop();
});

async function freshStore(schema = `adapter_${(schemaCounter += 1)}`): Promise<PostgresEventStore> {
  const store = await openPostgresEventStore({
    connectionString: database.connectionString,
    schema,
    clock: new FixedClock(),
    pollIntervalMs: 50,
    poolSize: 4,
  });
  opened.push(store);
  return store;
}

async function connect(connectionString = database.connectionString): Promise<Client> {
  const client = new Client({ connectionString });
  await client.connect();
  clients.push(client);
  return client;
}

/** Opens a transaction that holds an xid, as any writing transaction does. */
async function openWritingTransaction(client: Client): Promise<void> {
  await client.query('BEGIN');
  await client.query('SELECT pg_current_xact_id()');
}

async function advisoryLocksHeld(): Promise<number> {
  const client = await connect();
  const { rows } = await client.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
  );
  return rows[0]?.count ?? -1;
}

describe('PostgreSQL adapter specifics', () => {
  it('creates its schema idempotently, even when several processes open it at once', async () => {
    const stores = await Promise.all([
      freshStore('shared_open'),
      freshStore('shared_open'),
      freshStore('shared_open'),
    ]);
    await stores[0]?.appendToStream('applicant-1', [testEvent('shared')], {
      expectedRevision: 'no_stream',
    });
    expect(await stores[2]?.readStream('applicant-1')).toHaveLength(1);
    await expect(
      openPostgresEventStore({ connectionString: database.connectionString, schema: 'Bad-Name' }),
    ).rejects.toThrow(/schema name/);
  });

  describe('Invariant 5: append only', () => {
    it('stores data as its canonical JSON text and refuses UPDATE, DELETE and TRUNCATE', async () => {
      const store = await freshStore();
      const event = testEvent('immutable');
      await store.appendToStream('applicant-1', [event], { expectedRevision: 'no_stream' });
      const client = await connect();
      const { rows } = await client.query<{ data: string }>(
        `SELECT data::text AS data FROM ${store.names.events}`,
      );
      expect(rows[0]?.data).toBe(canonicalJson(event.data));
      await expect(
        client.query(`UPDATE ${store.names.events} SET type = 'Edited'`),
      ).rejects.toThrow(/immutable/);
      await expect(client.query(`DELETE FROM ${store.names.events}`)).rejects.toThrow(/immutable/);
      await expect(client.query(`TRUNCATE ${store.names.events}`)).rejects.toThrow(/immutable/);
    });
  });

  it('holds readers back while an older transaction of this database is open, then catches up by polling', async () => {
    const store = await freshStore();
    const subscription = openSubscription(store, 0n);
    const blocker = await connect();
    await openWritingTransaction(blocker);
    const appended = await store.appendToStream('applicant-1', testEvents('held', 2), {
      expectedRevision: 'no_stream',
    });
    // The events are committed and readable by stream, but not yet part of the global order.
    expect(await store.readStream('applicant-1')).toHaveLength(2);
    expect(await store.readAll()).toEqual([]);
    expect(await store.headPosition()).toBe(0n);
    // The blocker sends no notification: the poll fallback must pick the events up.
    await blocker.query('COMMIT');
    expect((await take(subscription, 2)).map((event) => event.position)).toEqual([
      appended.position - 1n,
      appended.position,
    ]);
    expect(await store.headPosition()).toBe(appended.position);
    await expectQuietThenAbort(subscription);
  });

  it('is not held back by an open transaction in another database', async () => {
    const store = await freshStore();
    const elsewhere = await connect(process.env['LEDGER_TEST_POSTGRES_URL'] ?? DEFAULT_ADMIN_URL);
    await openWritingTransaction(elsewhere);
    const appended = await store.appendToStream('applicant-1', [testEvent('free')], {
      expectedRevision: 'no_stream',
    });
    expect(await store.headPosition()).toBe(appended.position);
    expect(await store.readAll()).toHaveLength(1);
    await elsewhere.query('ROLLBACK');
  });

  it('refuses to append in a transaction that already wrote, and releases the global lock', async () => {
    const store = await freshStore();
    const client = await connect();
    await openWritingTransaction(client);
    const context = { names: store.names, clock: new FixedClock() };
    const error = await rejectionOf(
      appendWithinTransaction(
        client,
        context,
        'applicant-1',
        [testEvent('early-xid')],
        'no_stream',
      ),
    );
    expect(String(error)).toMatch(/already had xid/);
    // As a caller must. ROLLBACK frees the per-stream lock but would keep a leaked session-level one.
    await client.query('ROLLBACK');
    expect(await advisoryLocksHeld()).toBe(0);
    await store.appendToStream('applicant-1', [testEvent('after')], {
      expectedRevision: 'no_stream',
    });
    expect(await store.readAll()).toHaveLength(1);
  });

  it('a racing append of the same event id to another stream fails inside the global section without leaking the lock', async () => {
    const store = await freshStore();
    const event = testEvent('contended');
    const first = await connect();
    await first.query('BEGIN');
    await appendWithinTransaction(
      first as never,
      { names: store.names, clock: new FixedClock() },
      'applicant-1',
      [event],
      'no_stream',
    );
    // The second append waits on the unique index for the first transaction, then retries and classifies.
    const second = store.appendToStream('applicant-2', [event], { expectedRevision: 'no_stream' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.query('COMMIT');
    expect(await rejectionOf(second)).toBeInstanceOf(DuplicateEventDifferentContent);
    expect(await advisoryLocksHeld()).toBe(0);
    await store.appendToStream('applicant-2', [testEvent('next')], {
      expectedRevision: 'no_stream',
    });
    expect((await store.readAll()).map((recorded) => recorded.streamId)).toEqual([
      'applicant-1',
      'applicant-2',
    ]);
  });

  describe('group commit (issue 12)', () => {
    it('commits 64 appends of one turn in one transaction, positions in submission order', async () => {
      const store = await freshStore();
      const before = store.groupCommitBatches ?? 0;
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, index) =>
          store.appendToStream(
            `applicant-gc-${index}`,
            testEvents(`gc-${index}`, 1 + (index % 3)),
            {
              expectedRevision: 'no_stream',
            },
          ),
        ),
      );
      expect((store.groupCommitBatches ?? 0) - before).toBe(1);
      expect(store.batchFallbacks).toBe(0);
      expect(results.map((result) => result.nextRevision)).toEqual(
        Array.from({ length: 64 }, (_, index) => BigInt(index % 3)),
      );
      const positions = results.map((result) => result.position);
      expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
      const all = await store.readAll({ maxCount: 1000 });
      expect(all).toHaveLength(results.reduce((sum, _, index) => sum + 1 + (index % 3), 0));
      expect(await store.headPosition()).toBe(positions[63]);
      expect(await advisoryLocksHeld()).toBe(0);
    });

    it('a conflict, a replay, an id reuse and two appends to one stream in one batch: each its own answer', async () => {
      const store = await freshStore();
      await store.appendToStream('applicant-x', [testEvent('x0')], {
        expectedRevision: 'no_stream',
      });
      const outcomes = await Promise.allSettled([
        store.appendToStream('applicant-y', [testEvent('y0')], { expectedRevision: 'no_stream' }),
        store.appendToStream('applicant-x', [testEvent('stale')], {
          expectedRevision: 'no_stream',
        }),
        store.appendToStream('applicant-x', [testEvent('x0')], { expectedRevision: 'no_stream' }),
        store.appendToStream('applicant-z', [{ ...testEvent('x0'), type: 'Other' }], {
          expectedRevision: 'any',
        }),
        store.appendToStream('applicant-y', testEvents('y1', 2), { expectedRevision: 0n }),
      ]);
      expect(store.batchFallbacks).toBe(0);
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(outcomes[2]).toMatchObject({ value: { nextRevision: 0n, position: 1n } });
      expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(
        DuplicateEventDifferentContent,
      );
      expect(outcomes[4]).toMatchObject({ value: { nextRevision: 2n } });
      const y = await store.readStream('applicant-y');
      expect(y.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      // One chain across the two appends of the batch.
      expect(y[1]?.metadata.prevHash).toBe(y[0]?.metadata.hash);
      expect((await store.readAll()).map((event) => event.streamId)).toEqual([
        'applicant-x',
        'applicant-y',
        'applicant-y',
        'applicant-y',
      ]);
      expect(await advisoryLocksHeld()).toBe(0);
    });
  });

  it('leaves a caller-owned pool open on close', async () => {
    const pool = new Pool({ connectionString: database.connectionString, max: 3 });
    try {
      const store = await openPostgresEventStore({
        pool,
        schema: `adapter_${(schemaCounter += 1)}`,
      });
      await store.appendToStream('applicant-1', [testEvent('pooled')], {
        expectedRevision: 'no_stream',
      });
      await store.close();
      await expect(store.headPosition()).rejects.toThrow(/closed/);
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
