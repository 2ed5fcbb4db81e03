/**
 * Rebuilds without downtime: a new generation is built beside the live one while readers keep getting
 * answers, then switched to in one transaction; an outdated schema version triggers a rebuild at start.
 */
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { generateEvents, seededRandom, TestStores } from '../testing';
import { ProjectionRunner } from './projection-runner';
import { ProjectionSupervisor } from './projection-supervisor';

jest.setTimeout(60_000);

let stores: TestStores;
beforeEach(() => {
  stores = TestStores.create('projections-supervisor-');
});
afterEach(async () => {
  await stores.close();
});

async function caughtUp(): Promise<void> {
  const head = await stores.events.headPosition();
  for (let attempt = 0; attempt < 2000; attempt += 1) {
    if (((await stores.reads.activeCheckpoint())?.position ?? 0n) >= head) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('not caught up');
}

it('serves readers from the live generation during a rebuild and switches atomically', async () => {
  const events = generateEvents(seededRandom(21), 3200, { activeApplicants: 20 });
  await stores.append(events.slice(0, 3000));
  const supervisor = new ProjectionSupervisor(stores.events, stores.reads, { batchSize: 50 });
  try {
    await check(supervisor, events.slice(3000));
  } finally {
    await supervisor.stop();
  }
});

async function check(
  supervisor: ProjectionSupervisor,
  later: Parameters<TestStores['append']>[0],
): Promise<void> {
  await supervisor.start();
  await caughtUp();
  const live = (await stores.reads.activeCheckpoint())?.generation;
  const claimsBefore = (await stores.reads.listClaims({ limit: 200 })).items.length;

  const answers: Array<{ generation: number | undefined; claims: number }> = [];
  let rebuilding = true;
  const readers = (async () => {
    while (rebuilding) {
      answers.push({
        generation: (await stores.reads.activeCheckpoint())?.generation,
        claims: (await stores.reads.listClaims({ limit: 200 })).items.length,
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const rebuilt = await supervisor.rebuild();
  rebuilding = false;
  await readers;

  expect(rebuilt.generation).toBe((live ?? 0) + 1);
  expect(answers.length).toBeGreaterThan(5);
  // Every answer came from a complete generation: the live one before the switch, the new one after.
  expect(answers.every((answer) => answer.claims === claimsBefore)).toBe(true);
  expect(new Set(answers.map((answer) => answer.generation))).toEqual(
    new Set([live, rebuilt.generation].filter((g) => answers.some((a) => a.generation === g))),
  );
  const generations = await stores.reads.generations();
  expect(generations.map((g) => [g.generation, g.status])).toEqual([
    [live, 'retired'],
    [rebuilt.generation, 'active'],
  ]);

  // The new generation follows the log live.
  await stores.append(later);
  await caughtUp();
  expect((await stores.reads.activeCheckpoint())?.generation).toBe(rebuilt.generation);

  // A second rebuild drops the generation retired before the last one.
  const again = await supervisor.rebuild();
  expect((await stores.reads.generations()).map((g) => [g.generation, g.status])).toEqual([
    [rebuilt.generation, 'retired'],
    [again.generation, 'active'],
  ]);
}

it('rebuilds at start when the active generation was built by another schema version', async () => {
  await stores.append(generateEvents(seededRandom(23), 500));
  const old = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION - 1);
  await new ProjectionRunner(stores.events, stores.reads, old.generation).catchUp();
  await stores.reads.activate(old.generation, 0n);
  const supervisor = new ProjectionSupervisor(stores.events, stores.reads);
  await supervisor.start();
  for (
    let attempt = 0;
    attempt < 2000 && (await stores.reads.activeCheckpoint())?.generation === old.generation;
    attempt += 1
  ) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const active = (await stores.reads.generations()).find((g) => g.status === 'active');
  expect(active).toMatchObject({
    schemaVersion: PROJECTION_SCHEMA_VERSION,
    checkpoint: { position: await stores.events.headPosition() },
  });
  await supervisor.stop();
});
