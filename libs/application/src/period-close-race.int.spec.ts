/**
 * The close-vs-back-dated-payment race (issue 18; docs/operations.md "Period close"): many payments dated
 * inside 2024 run concurrently with the close of 2024, on SQLite and on PostgreSQL. Each payment's append
 * carries the period-2024 revision it found open (AppendOptions.conditions, period-close.ts
 * requirePeriodOpen), so a close committed in between fails that append, the retry reads the close and is
 * refused PERIOD.CLOSED. Afterwards no DisbursementRecorded dated in 2024 sits after the PeriodClosed in
 * the log. The spy on the real store counts the appends the period condition refused: the test insists
 * the race really happened (without the condition those payments land after the close, and the log check
 * fails).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createThrowawayDatabase,
  openPostgresEventStore,
  openSqliteEventStore,
  WrongExpectedVersion,
  type EventStore,
  type RecordedEvent,
} from '@hz/event-store';
import { periodStreamId, usccFromPrefix, type LedgerCommand } from '@hz/ledger';
import { closePeriod } from './period-close';
import {
  approve,
  disburse,
  fixedClock,
  harnessService,
  register,
  submitPlatform,
} from './testing/harness';

const APPLICANTS = Array.from({ length: 6 }, (_, index) =>
  usccFromPrefix(`91330109MA2R0${String(index).padStart(4, '0')}`),
);
const PAYMENTS_PER_CLAIM = 10;
const ALLOWED = new Set(['ok', 'PERIOD.CLOSED']);

/** The real store, with the appends refused because a period stream moved counted (nothing else changes). */
function countingPeriodConflicts(store: EventStore): {
  store: EventStore;
  conflicts: () => number;
} {
  let conflicts = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'appendToStream' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          if (error instanceof WrongExpectedVersion && error.streamId.startsWith('period-'))
            conflicts += 1;
          throw error;
        }
      };
    },
  });
  return { store: counted, conflicts: () => conflicts };
}

async function readLog(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let from = 0n; ;) {
    const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
    if (page.length === 0) return events;
    events.push(...page);
    from = page[page.length - 1]!.position;
  }
}

/** Payments dated inside `year` from every claim at once; the first one through starts the close of `year`. */
async function round(
  service: ReturnType<typeof harnessService>,
  store: EventStore,
  year: number,
): Promise<string[]> {
  let closing: Promise<unknown> | undefined;
  const payments = APPLICANTS.flatMap((uscc, claim) =>
    Array.from({ length: PAYMENTS_PER_CLAIM }, (_, index) => {
      const payment = disburse(`${uscc}-1`, 'city', '1.00', `RACE-${year}-${claim}-${index}`);
      const command = {
        ...payment,
        data: { ...payment.data, paidAt: `${year}-06-30` },
      } as LedgerCommand;
      return service.execute(command).then(
        () => {
          closing ??= closePeriod(
            store,
            { period: String(year), reasons: ['year end'] },
            {
              actor: 'admin-1',
              role: 'admin',
              idempotencyKey: `close-${year}`,
              now: fixedClock.now().toISOString(),
            },
          );
          return 'ok';
        },
        (error: { code?: string }) => error.code ?? String(error),
      );
    }),
  );
  const outcomes = await Promise.all(payments);
  await closing;
  return outcomes;
}

/**
 * Rounds of the race (2024, then 2023, …) until the period condition has refused at least one append: one
 * round usually suffices; a loaded machine may let a round's close land between payments' reads.
 */
async function race(raw: EventStore): Promise<void> {
  const { store, conflicts } = countingPeriodConflicts(raw);
  const service = harnessService(store);
  for (const uscc of APPLICANTS) {
    await service.execute(register(uscc, 'xiaoshan'));
    await service.execute(submitPlatform(uscc, '100000.00'));
    await service.execute(approve(`${uscc}-1`, '100000.00'));
  }
  let recorded = 0;
  for (let year = 2024; year >= 2020 && conflicts() === 0; year -= 1) {
    const outcomes = await round(service, store, year);
    expect(outcomes.filter((outcome) => !ALLOWED.has(outcome))).toEqual([]);
    expect(outcomes.filter((outcome) => outcome === 'ok').length).toBeGreaterThan(0);
    recorded += outcomes.filter((outcome) => outcome === 'ok').length;

    const log = await readLog(raw);
    const close = log.find(
      (event) => event.type === 'PeriodClosed' && event.streamId === periodStreamId(String(year)),
    );
    expect(close).toBeDefined();
    const after = log.filter(
      (event) =>
        event.position > close!.position &&
        event.type === 'DisbursementRecorded' &&
        String(event.data['paidAt']).startsWith(String(year)),
    );
    expect(after.map((event) => event.data['paymentRef'])).toEqual([]);
    expect(log.filter((event) => event.type === 'DisbursementRecorded')).toHaveLength(recorded);
  }
  // The race happened: payments that had found the period open were refused at the append by the close.
  expect(conflicts()).toBeGreaterThan(0);
}

describe('a close racing back-dated payments (issue 18)', () => {
  it('on SQLite: no payment dated in 2024 is recorded after the close', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-close-race-'));
    const store = await openSqliteEventStore({
      file: join(directory, 'ledger.db'),
      clock: fixedClock,
    });
    try {
      await race(store);
    } finally {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);

  it('on PostgreSQL: no payment dated in 2024 is recorded after the close', async () => {
    const database = await createThrowawayDatabase('ledger_close_race');
    const store = await openPostgresEventStore({
      connectionString: database.connectionString,
      clock: fixedClock,
    });
    try {
      await race(store);
    } finally {
      await store.close();
      await database.drop();
    }
  }, 60_000);
});
