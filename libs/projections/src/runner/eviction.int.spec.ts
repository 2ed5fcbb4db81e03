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
    const claimLoads = jest.spyOn(stores.reads, 'loadClaim');
    const wholeLoads = jest.spyOn(stores.reads, 'loadApplicant');
    const runner = new ProjectionRunner(stores.events, stores.reads, cramped, {
      batchSize: 7,
      applicantsCachedMax: 1,
    });
    await runner.catchUp();

    expect(runner.stats.batches).toBeGreaterThan(50);
    // An evicted applicant comes back without its claims; only the claims its events name are read.
    expect(claimLoads.mock.calls.length).toBeGreaterThan(0);
    expect(wholeLoads).not.toHaveBeenCalled();
    const expected = await dump(stores, roomy);
    expect(expected.length).toBeGreaterThan(600);
    expect(await dump(stores, cramped)).toEqual(expected);
  });

  it('equals it too when the rebuild forgets which applicants it has met (bounded seen set)', async () => {
    await stores.append(generateEvents(seededRandom(37), 600, { activeApplicants: 8 }));
    const { generation: roomy } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    await new ProjectionRunner(stores.events, stores.reads, roomy, { batchSize: 1000 }).catchUp();

    const loads = jest.spyOn(stores.reads, 'loadApplicantWithoutClaims');
    const build = async (applicantsSeenMax?: number): Promise<number> => {
      const { generation } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
      const before = loads.mock.calls.length;
      await new ProjectionRunner(stores.events, stores.reads, generation, {
        batchSize: 7,
        applicantsCachedMax: 2,
        ...(applicantsSeenMax === undefined ? {} : { applicantsSeenMax }),
      }).catchUp();
      expect(await dump(stores, generation)).toEqual(await dump(stores, roomy));
      return loads.mock.calls.length - before;
    };
    const remembering = await build();
    const forgetful = await build(3);
    // Past 3 applicants met, a new applicant is loaded too (an empty answer): more loads, same rows.
    expect(forgetful).toBeGreaterThan(remembering);
  });
});
