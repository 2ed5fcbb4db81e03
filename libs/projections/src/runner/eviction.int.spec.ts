/**
 * Invariant 6 with a small working set: a runner that keeps only a few applicants in memory evicts the
 * others after each commit and must load their rows back from the store when their next event comes. Its
 * generation must equal, byte for byte, one built with every applicant kept in memory.
 */
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { generateEvents, seededRandom, TestStores } from '../testing';
import { ProjectionRunner } from './projection-runner';

jest.setTimeout(60_000);

async function dump(stores: TestStores, generation: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of stores.reads.dumpGeneration(generation)) lines.push(line);
  return lines;
}

let stores: TestStores;
beforeEach(() => {
  stores = TestStores.create('projections-eviction-');
});
afterEach(async () => {
  await stores.close();
});

describe('Invariant 6: rebuild = live', () => {
  it('equals a build without eviction when applicants are evicted and reloaded between batches', async () => {
    await stores.append(generateEvents(seededRandom(31), 600, { activeApplicants: 8 }));
    const { generation: roomy } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    await new ProjectionRunner(stores.events, stores.reads, roomy, { batchSize: 1000 }).catchUp();

    const { generation: cramped } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    const runner = new ProjectionRunner(stores.events, stores.reads, cramped, {
      batchSize: 7,
      applicantsCachedMax: 1,
    });
    await runner.catchUp();

    expect(runner.stats.batches).toBeGreaterThan(50);
    const expected = await dump(stores, roomy);
    expect(expected.length).toBeGreaterThan(600);
    expect(await dump(stores, cramped)).toEqual(expected);
  });
});
