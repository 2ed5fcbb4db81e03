/**
 * The late-commit test (docs/architecture.md §4): one append takes its positions and then keeps its
 * transaction open for seconds while 8 writers commit 5,000 events with larger positions. Subscribers
 * must deliver every event exactly once, never a smaller position after a larger one, each stream in
 * revision order, the late events included. A timer-based gap skip, or readers trusting positions alone,
 * would either skip the late events or deliver them out of order.
 */
import { Client } from 'pg';
import type { RecordedEvent } from '../port';
import { FixedClock, testEvents } from '../testing';
import {
  openSubscription,
  take,
  expectQuietThenAbort,
  type OpenSubscription,
} from '../testing/subscription-helpers';
import { appendWithinTransaction } from './append';
import { openPostgresEventStore, type PostgresEventStore } from './postgres-event-store';
import { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-database';

const WRITERS = 8;
const EVENTS_PER_WRITER = 625;
const STREAMS_PER_WRITER = 5;
const WARM_UP_EVENTS = 10;
const LATE_EVENTS = 3;
const LATE_HOLD_MS_MIN = 2500;

let database: ThrowawayDatabase;
let store: PostgresEventStore;
let connectionString: string;

beforeAll(async () => {
  database = await createThrowawayDatabase('ledger_late');
  // Visibility, not durability, is under test: without waiting for each commit's fsync the run takes
  // seconds instead of tens of seconds on a slow disk, and commits still become visible in any order.
  const url = new URL(database.connectionString);
  url.searchParams.set('options', '-c synchronous_commit=off');
  connectionString = url.toString();
  store = await openPostgresEventStore({
    connectionString,
    clock: new FixedClock(),
    pollIntervalMs: 200,
    poolSize: 12,
  });
});

afterAll(async () => {
  await store.close();
  await database.drop();
});

/** One writer: batches of 1–5 events over its own streams, each append with the exact expected revision. */
async function runWriter(writer: number): Promise<void> {
  const revisions = new Map<string, bigint>();
  let written = 0;
  for (let batch = 0; written < EVENTS_PER_WRITER && batch < EVENTS_PER_WRITER; batch += 1) {
    const stream = `applicant-w${writer}-${batch % STREAMS_PER_WRITER}`;
    const size = Math.min(1 + ((batch * 7 + writer) % 5), EVENTS_PER_WRITER - written);
    const current = revisions.get(stream);
    const result = await store.appendToStream(stream, testEvents(`${stream}-b${batch}`, size), {
      expectedRevision: current ?? 'no_stream',
    });
    revisions.set(stream, result.nextRevision);
    written += size;
  }
}

function expectConsistentOrder(events: readonly RecordedEvent[]): void {
  const nextRevision = new Map<string, bigint>();
  const ids = new Set<string>();
  let previous = 0n;
  for (const event of events) {
    expect(event.position > previous).toBe(true);
    previous = event.position;
    expect(ids.has(event.id)).toBe(false);
    ids.add(event.id);
    expect(event.revision).toBe(nextRevision.get(event.streamId) ?? 0n);
    nextRevision.set(event.streamId, event.revision + 1n);
  }
}

async function committedAbove(position: bigint): Promise<number> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${store.names.events} WHERE position > $1`,
      [position.toString()],
    );
    return rows[0]?.count ?? 0;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL: a late-committing append is never skipped', () => {
  it(`delivers ${WRITERS * EVENTS_PER_WRITER} concurrent events and a late transaction's events exactly once, in a consistent order`, async () => {
    const total = WARM_UP_EVENTS + LATE_EVENTS + WRITERS * EVENTS_PER_WRITER;
    const fromStart = openSubscription(store, 0n);
    const fromStartReceived = take(fromStart, total, 30_000);
    await store.appendToStream('applicant-warm-up', testEvents('warm-up', WARM_UP_EVENTS), {
      expectedRevision: 'no_stream',
    });

    const late = new Client({ connectionString });
    await late.connect();
    let midway:
      | { subscription: OpenSubscription; received: Promise<RecordedEvent[]>; after: bigint }
      | undefined;
    try {
      await late.query('BEGIN');
      const openedAt = Date.now();
      const lateResult = await appendWithinTransaction(
        late,
        { names: store.names, clock: new FixedClock() },
        'applicant-late',
        testEvents('late', LATE_EVENTS),
        'no_stream',
      );
      const lateFirst = lateResult.result.position - BigInt(LATE_EVENTS - 1);

      const writers = Array.from({ length: WRITERS }, (_, writer) => runWriter(writer));
      // A subscriber joining while the late transaction is open starts from what it can see.
      const joinAt = await store.headPosition();
      expect(joinAt).toBe(BigInt(WARM_UP_EVENTS));
      const midwaySubscription = openSubscription(store, joinAt);
      midway = {
        subscription: midwaySubscription,
        after: joinAt,
        received: take(midwaySubscription, total - WARM_UP_EVENTS, 30_000),
      };
      await Promise.all(writers);

      // The scenario really happened: thousands of larger positions committed while the late one is open …
      expect(await committedAbove(lateResult.result.position)).toBe(WRITERS * EVENTS_PER_WRITER);
      // … and readers stop right before the hole instead of skipping it.
      expect(await store.headPosition()).toBe(lateFirst - 1n);
      expect(await store.readAll({ fromPosition: BigInt(WARM_UP_EVENTS) })).toEqual([]);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, LATE_HOLD_MS_MIN - (Date.now() - openedAt))),
      );
      await late.query('COMMIT');
    } finally {
      await late.end();
    }

    const all = await fromStartReceived;
    expectConsistentOrder(all);
    expect(
      all.filter((event) => event.streamId === 'applicant-late').map((event) => event.position),
    ).toEqual(
      Array.from({ length: LATE_EVENTS }, (_, index) => BigInt(WARM_UP_EVENTS + 1 + index)),
    );
    const logged = await store.readAll({ maxCount: total + 1 });
    expect(all.map((event) => event.id)).toEqual(logged.map((event) => event.id));
    expect(midway).toBeDefined();
    if (midway !== undefined) {
      const { after, received, subscription } = midway;
      expect((await received).map((event) => event.id)).toEqual(
        logged.filter((event) => event.position > after).map((event) => event.id),
      );
      await expectQuietThenAbort(subscription);
    }
    await expectQuietThenAbort(fromStart);
  }, 120_000);

  it('moves past the positions of a late transaction that rolls back', async () => {
    const head = await store.headPosition();
    const subscription = openSubscription(store, head);
    const late = new Client({ connectionString });
    await late.connect();
    try {
      await late.query('BEGIN');
      await appendWithinTransaction(
        late,
        { names: store.names, clock: new FixedClock() },
        'applicant-abandoned',
        testEvents('abandoned', 2),
        'no_stream',
      );
      await store.appendToStream('applicant-after', testEvents('after', 2), {
        expectedRevision: 'no_stream',
      });
      await late.query('ROLLBACK');
    } finally {
      await late.end();
    }
    const received = await take(subscription, 2);
    expect(received.map((event) => event.streamId)).toEqual(['applicant-after', 'applicant-after']);
    expect(received[0]?.position).toBe(head + 3n);
    await expectQuietThenAbort(subscription);
  });
});
