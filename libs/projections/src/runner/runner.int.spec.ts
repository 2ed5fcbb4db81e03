/**
 * The runner on real SQLite stores: rows equal a fresh in-memory replay, checkpoint and rows commit
 * together (a failure mid-batch leaves neither), a restart resumes without double counting.
 */
import { InMemoryReadModel } from '../model/in-memory-read-model';
import { toLedgerRecord } from '../model/ledger-record';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { generateEvents, seededRandom, servedByModel, servedByStore, TestStores } from '../testing';
import { ProjectionRunner } from './projection-runner';

jest.setTimeout(60_000);

async function dump(stores: TestStores, generation: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of stores.reads.dumpGeneration(generation)) lines.push(line);
  return lines;
}

async function newActiveGeneration(stores: TestStores): Promise<number> {
  const { generation } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
  await stores.reads.activate(generation, 0n);
  return generation;
}

describe('ProjectionRunner on SQLite', () => {
  let stores: TestStores;
  beforeEach(() => {
    stores = TestStores.create();
  });
  afterEach(async () => {
    await stores.close();
  });

  describe('Invariant 6: rebuild = live', () => {
    it('serves exactly what a fresh replay of the log computes', async () => {
      const generated = generateEvents(seededRandom(7), 1500, { activeApplicants: 12 });
      await stores.append(generated);
      const generation = await newActiveGeneration(stores);
      await new ProjectionRunner(stores.events, stores.reads, generation, {
        batchSize: 113,
      }).catchUp();
      const model = InMemoryReadModel.of(
        (await stores.events.readAll({ maxCount: 10_000 })).map(toLedgerRecord),
      );
      const applicants = [...new Set(model.allClaims().map((claim) => claim.applicant))];
      expect(applicants.length).toBeGreaterThan(10);
      expect(await servedByStore(stores.reads, applicants)).toEqual(
        servedByModel(model, applicants),
      );
      const claimId = model.allClaims()[0]?.claimId ?? '';
      expect(await stores.reads.claimHistory(claimId)).toEqual(model.auditTrail(claimId));
    });
  });

  describe('Invariant 6: rebuild = live', () => {
    it('commits rows and checkpoint in one transaction: a failure mid-batch leaves neither, and a restart does not count twice', async () => {
      const generated = generateEvents(seededRandom(11), 800, { activeApplicants: 8 });
      await stores.append(generated);
      const clean = await newActiveGeneration(stores);
      await new ProjectionRunner(stores.events, stores.reads, clean, { batchSize: 50 }).catchUp();

      const { generation } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
      const table = `g${generation}_audit`;
      // Simulated crash: the write of one audit row in the middle of some batch fails after other rows of that
      // batch were written. Audit rows are one per claim event (never coalesced), so the trigger fires whatever
      // the batch boundaries turn out to be under load; fiscal versions are coalesced per batch and would not.
      const failAt = (await stores.reads.connection
        .prepare(`SELECT MIN(position) AS p FROM g${clean}_audit WHERE position > 300`)
        .get()) as { p: number };
      stores.reads.connection.exec(
        `CREATE TRIGGER crash BEFORE INSERT ON ${table} WHEN NEW.position = ${failAt.p} BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`,
      );
      const first = new ProjectionRunner(stores.events, stores.reads, generation, {
        batchSize: 50,
      });
      const outcome = await first.catchUp().then(
        (c) => `resolved at ${c.position} (trigger at ${failAt.p})`,
        (e: Error) => e.message,
      );
      expect(outcome).toContain('simulated crash');
      const stored = await stores.reads.checkpoint(generation);
      expect(stored.position).toBeLessThan(BigInt(failAt.p));
      const beyond = stores.reads.connection
        .prepare(`SELECT COUNT(*) AS n FROM g${generation}_audit WHERE position > ?`)
        .get(stored.position) as { n: number };
      expect(beyond.n).toBe(0);

      stores.reads.connection.exec('DROP TRIGGER crash');
      // A new runner (a restarted process) resumes from the stored checkpoint with an empty working set.
      await new ProjectionRunner(stores.events, stores.reads, generation, {
        batchSize: 77,
      }).catchUp();
      expect(await dump(stores, generation)).toEqual(await dump(stores, clean));
    });
  });

  it('refuses a batch computed from a checkpoint another runner has moved', async () => {
    const generation = await newActiveGeneration(stores);
    const one = new ProjectionRunner(stores.events, stores.reads, generation, { batchSize: 100 });
    const two = new ProjectionRunner(stores.events, stores.reads, generation, { batchSize: 100 });
    // Both start at checkpoint 0 (an empty log), as two projector processes would.
    await one.catchUp();
    await two.catchUp();
    await stores.append(generateEvents(seededRandom(3), 300));
    await one.catchUp();
    await expect(two.catchUp()).rejects.toMatchObject({ code: 'PROJECTION.CHECKPOINT_CONFLICT' });
    // After the conflict it reloads and carries on from the stored checkpoint: nothing is counted twice.
    await stores.append(
      generateEvents(seededRandom(4), 50).map((e) => ({
        ...e,
        id: e.id.replace('00000000', '11111111'),
      })),
    );
    await two.catchUp();
    expect((await stores.reads.checkpoint(generation)).position).toBe(
      await stores.events.headPosition(),
    );
  });
});
