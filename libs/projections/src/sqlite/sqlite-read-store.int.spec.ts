/**
 * The SQLite read store's runner reads and its locking mode (issue 13, docs/benchmarks.md "Replay's
 * applicant loads and the file lock"): an applicant read back without its claims has the same row and caps
 * as with them, each claim read by id is the one of the whole list, and an EXCLUSIVE store keeps its file
 * to itself.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { generateEvents, seededRandom, TestStores } from '../testing';
import { ProjectionRunner } from '../runner/projection-runner';
import { SqliteReadStore } from './sqlite-read-store';

jest.setTimeout(60_000);

let stores: TestStores;
beforeEach(() => {
  stores = TestStores.create('projections-sqlite-read-store-');
});
afterEach(async () => {
  await stores.close();
});

describe('SqliteReadStore', () => {
  it('reads an applicant without its claims, and its claims one by one, as loadApplicant reads them', async () => {
    await stores.append(generateEvents(seededRandom(41), 400, { activeApplicants: 6 }));
    const { generation } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    await new ProjectionRunner(stores.events, stores.reads, generation).catchUp();
    const usccs = (
      stores.reads.connection.prepare(`SELECT uscc FROM g${generation}_applicants`).all() as {
        uscc: string;
      }[]
    ).map((row) => row.uscc);
    expect(usccs.length).toBeGreaterThan(1);
    let claims = 0;
    for (const uscc of usccs) {
      const whole = await stores.reads.loadApplicant(generation, uscc);
      const { applicant, caps } = await stores.reads.loadApplicantWithoutClaims(generation, uscc);
      expect({ applicant, caps }).toEqual({ applicant: whole.applicant, caps: whole.caps });
      for (const claim of whole.claims) {
        expect(await stores.reads.loadClaim(generation, claim.claimId)).toEqual(claim);
        claims += 1;
      }
      expect(await stores.reads.loadClaim(generation, `${uscc}-999999999`)).toBeUndefined();
    }
    expect(claims).toBeGreaterThan(usccs.length);
  });

  it('keeps the file locked from its first statement with lockingMode EXCLUSIVE, and not by default', async () => {
    const file = (name: string): string => join(stores.directory, name);
    const exclusive = new SqliteReadStore(file('exclusive.db'), {
      journalMode: 'OFF',
      synchronous: 'OFF',
      lockingMode: 'EXCLUSIVE',
    });
    const normal = new SqliteReadStore(file('normal.db'), {
      journalMode: 'OFF',
      synchronous: 'OFF',
    });
    try {
      for (const store of [exclusive, normal])
        await store.createGeneration(PROJECTION_SCHEMA_VERSION, { bulkLoad: true });
      expect(exclusive.connection.pragma('main.locking_mode', { simple: true })).toBe('exclusive');
      // Another connection, waiting for no lock: refused by the exclusive store's file only.
      const generationsIn = (name: string): unknown => {
        const other = new Database(file(name), { timeout: 0 });
        try {
          return other.prepare('SELECT status FROM read_model_generations').pluck().all();
        } finally {
          other.close();
        }
      };
      expect(() => generationsIn('exclusive.db')).toThrow(/locked/);
      expect(generationsIn('normal.db')).toEqual(['building']);
    } finally {
      await exclusive.close();
      await normal.close();
    }
  });
});
