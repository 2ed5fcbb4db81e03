/**
 * The readers that let a whole-store summary stay inside the store (`ledger replay`'s summary, issue 13):
 * capsPage serves every applicant's caps, page by page, exactly as `caps` serves them applicant by
 * applicant, now and as of earlier instants, whatever the page size; claimCountsByStatus counts what the
 * claim queue lists. On SQLite here; PostgreSQL's runner spec compares both through testing/compare.ts.
 */
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { generateEvents, seededRandom, TestStores } from '../testing';
import { ProjectionRunner } from '../runner/projection-runner';
import type { CapRow } from '../model/rows';
import { allClaims } from './all-claims';
import type { CapCursor, ReadStoreReader } from './read-store';

jest.setTimeout(60_000);

let stores: TestStores;
beforeEach(() => {
  stores = TestStores.create('projections-caps-page-');
});
afterEach(async () => {
  await stores.close();
});

async function paged(reader: ReadStoreReader, limit: number, asOfMs?: number): Promise<CapRow[]> {
  const rows: CapRow[] = [];
  let after: CapCursor | undefined;
  for (let pages = 0; ; pages += 1) {
    const page = await reader.capsPage({ after, limit, asOfMs });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    rows.push(...page.items);
    if (page.nextAfter === null) return rows;
    expect(page.items.length).toBe(limit);
    after = page.nextAfter;
    expect(pages).toBeLessThan(100_000);
  }
}

describe('capsPage and claimCountsByStatus', () => {
  it('serve what caps and the claim queue serve, as of every instant, on any page size', async () => {
    const events = generateEvents(seededRandom(23), 900, { activeApplicants: 9 });
    await stores.append(events);
    const { generation } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    await new ProjectionRunner(stores.events, stores.reads, generation).catchUp();
    await stores.reads.activate(generation, 0n);
    const recorded = await stores.events.readAll({ maxCount: 10_000 });
    const usccs = [
      ...new Set(
        (await stores.reads.findApplicants({ nameContains: '', limit: 1000 })).map((a) => a.uscc),
      ),
    ].sort();
    expect(usccs.length).toBeGreaterThan(5);
    // Every 60th event's recording time, and now: caps that moved after an instant show their earlier version.
    const instants = [
      ...recorded
        .filter((_, index) => index % 60 === 0)
        .map((e) => Date.parse(e.metadata.recordedAt)),
      undefined,
    ];
    let differing = 0;
    let latest: CapRow[] = [];
    for (const asOfMs of [...instants].reverse()) {
      const expected: CapRow[] = [];
      for (const uscc of usccs)
        expected.push(...(await stores.reads.caps(uscc, asOfMs === undefined ? {} : { asOfMs })));
      if (asOfMs === undefined) latest = expected;
      else if (JSON.stringify(expected, bigints) !== JSON.stringify(latest, bigints))
        differing += 1;
      for (const limit of [1, 4, 1000])
        expect(await paged(stores.reads, limit, asOfMs)).toEqual(expected);
    }
    // The instants tell versions apart: a reader that ignored asOf would fail here.
    expect(differing).toBeGreaterThan(5);
    expect(latest.length).toBeGreaterThan(20);

    const counts: Record<string, number> = {};
    for await (const claim of allClaims(stores.reads))
      counts[claim.status] = (counts[claim.status] ?? 0) + 1;
    expect(await stores.reads.claimCountsByStatus()).toEqual(counts);
    expect(Object.keys(counts).length).toBeGreaterThan(2);
  });

  it('serve nothing before a generation is active', async () => {
    expect(await stores.reads.capsPage({ limit: 10 })).toEqual({ items: [], nextAfter: null });
    expect(await stores.reads.claimCountsByStatus()).toEqual({});
  });
});

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
