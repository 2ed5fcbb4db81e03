/**
 * The read side against the REAL command path: random commands through LedgerService (deciders, policy
 * engine, idempotency, reference reservation) into a real SQLite event store, projected live.
 * - invariant 6: the read models rebuilt from position 0 equal the live ones byte for byte;
 * - asOf: at random instants the asOf answer equals a fresh replay of the events recorded up to then.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { openSqliteEventStore, type EventStore } from '@hz/event-store';
import { Money } from '@hz/money';
import { HZ_CBEC_2023 } from '@hz/policy';
import {
  InMemoryReadModel,
  ProjectionSupervisor,
  SqliteReadStore,
  toLedgerRecord,
} from '@hz/projections';
// Test helpers of libs/projections (no public alias for them yet; see the issue notes).
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  seededRandom,
  servedByModel,
  servedByStore,
  SettableClock,
} from '../../../projections/src/testing';
import { LedgerService } from '@hz/application';
import { CommandDriver } from './testing/command-driver';

jest.setTimeout(300_000);

interface World {
  readonly events: EventStore;
  readonly reads: SqliteReadStore;
  readonly supervisor: ProjectionSupervisor;
  readonly driver: CommandDriver;
  readonly close: () => Promise<void>;
}

async function openWorld(seed: number, batchSize: number): Promise<World> {
  const directory = mkdtempSync(join(tmpdir(), 'read-side-commands-'));
  const clock = new SettableClock(new Date('2024-06-01T00:00:00.000Z'));
  const random = seededRandom(seed);
  const events = await openSqliteEventStore({
    file: join(directory, 'ledger.db'),
    clock,
    synchronous: 'NORMAL',
    pollIntervalMs: 5,
  });
  const reads = new SqliteReadStore(join(directory, 'read-models.db'));
  const service = new LedgerService({
    store: events,
    catalog: HZ_CBEC_2023,
    countersignThreshold: Money.parse('500000.00'),
    clock,
    sleep: async () => undefined,
  });
  // Every command happens 1 s to 2 h after the previous one; the store records it at that instant.
  const now = (): string => {
    clock.set(new Date(clock.now().getTime() + 1000 * (1 + random.int(7200))).toISOString());
    return clock.now().toISOString();
  };
  const supervisor = new ProjectionSupervisor(events, reads, { batchSize, flushDelayMs: 3 });
  await supervisor.start();
  const driver = new CommandDriver(service, random, now);
  const close = async () => {
    await supervisor.stop();
    await reads.close();
    await events.close();
    rmSync(directory, { recursive: true, force: true });
  };
  return { events, reads, supervisor, driver, close };
}

async function caughtUp(world: World): Promise<void> {
  const head = await world.events.headPosition();
  for (let attempt = 0; attempt < 4000; attempt += 1) {
    if (((await world.reads.activeCheckpoint())?.position ?? 0n) >= head) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('projection did not catch up');
}

async function dump(reads: SqliteReadStore, generation: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of reads.dumpGeneration(generation)) lines.push(line);
  return lines;
}

it('rebuilds from position 0 to the same bytes as the live projection (thousands of commands)', async () => {
  let commands = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.integer({ min: 1, max: 64 }),
      async (seed, batchSize) => {
        const world = await openWorld(seed, batchSize);
        try {
          for (let index = 0; index < 700; index += 1) await world.driver.step();
          commands += 700;
          if (world.driver.accepted <= 300)
            process.stdout.write(JSON.stringify([...world.driver.refusals]) + '\n');
          expect(world.driver.accepted).toBeGreaterThan(300);
          await caughtUp(world);
          const live = world.supervisor.status().generation ?? 0;
          const rebuilt = await world.supervisor.rebuild();
          expect(await dump(world.reads, rebuilt.generation)).toEqual(
            await dump(world.reads, live),
          );
        } finally {
          await world.close();
        }
      },
    ),
    { numRuns: 5 },
  );
  expect(commands).toBeGreaterThanOrEqual(3500);
});

it('answers asOf like a fresh replay of the events recorded up to that instant', async () => {
  const world = await openWorld(77, 25);
  try {
    for (let index = 0; index < 1500; index += 1) await world.driver.step();
    await caughtUp(world);
    const records = (await world.events.readAll({ maxCount: 100_000 })).map(toLedgerRecord);
    expect(records.some((event) => event.type === 'ClaimRevoked')).toBe(true);
    expect(records.some((event) => event.type === 'RecoveryRecorded')).toBe(true);
    const applicants = world.driver.applicants;
    const instants = records.map((event) => Date.parse(event.metadata.recordedAt));
    const onEvent = fc
      .tuple(fc.nat(instants.length - 1), fc.integer({ min: -1, max: 1 }))
      .map(([index, delta]) => (instants[index] ?? 0) + delta);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: (instants[0] ?? 0) - 1, max: (instants.at(-1) ?? 0) + 1 }),
          onEvent,
        ),
        async (asOfMs) => {
          const replay = InMemoryReadModel.of(
            records.filter((event) => Date.parse(event.metadata.recordedAt) <= asOfMs),
          );
          const served = await servedByStore(world.reads, applicants, asOfMs);
          const expected = servedByModel(replay, applicants);
          expect(served.caps).toEqual(expected.caps);
          expect(served.fiscal).toEqual(expected.fiscal);
        },
      ),
      { numRuns: 50 },
    );
  } finally {
    await world.close();
  }
});
