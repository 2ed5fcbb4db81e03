/**
 * The parallel rebuild's failures (issue 13): an unknown event type stops it loudly, as it stops the
 * sequential runner, an event that touches an applicant outside its own stream stops it (stream order
 * would evolve that applicant out of position order), and an abort stops it; either way no half-built
 * generation is left behind.
 */
import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ProjectionRunner } from '../runner/projection-runner';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { generateEvents, seededRandom, TestStores } from '../testing';
import { rebuildInParallel } from './parallel-rebuild';

jest.setTimeout(120_000);

describe('parallel rebuild failures', () => {
  let stores: TestStores;
  beforeEach(async () => {
    stores = TestStores.create('projections-parallel-');
    await stores.append(generateEvents(seededRandom(13), 120, { activeApplicants: 4 }));
  });
  afterEach(() => stores.close());

  it.each([1, 2])(
    'reports progress in events, rising to every event of the log (%i workers)',
    async (workers) => {
      const reports: (readonly [number, number])[] = [];
      const built = await rebuildInParallel({
        eventFile: stores.events.file,
        readStore: stores.reads,
        workers,
        batchSize: 10,
        onProgress: (events, total) => reports.push([events, total]),
      });
      expect(reports.length).toBeGreaterThan(2);
      expect(reports.map(([events]) => events)).toEqual(
        [...reports.map(([events]) => events)].sort((a, b) => a - b),
      );
      expect(reports[reports.length - 1]).toEqual([built.events, built.events]);
      expect(built.events).toBe(120);
    },
  );

  it('stops at an event type this projector does not know, leaving no generation', async () => {
    const db = new Database(stores.events.file);
    db.prepare(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
       VALUES ('future-1', 0, 'e-future-1', 'FutureEventType', '{}', '{"recordedAt":"2030-01-01T00:00:00.000Z"}')`,
    ).run();
    db.close();
    await expect(
      rebuildInParallel({ eventFile: stores.events.file, readStore: stores.reads, workers: 2 }),
    ).rejects.toMatchObject({ code: 'PROJECTION.UNKNOWN_EVENT_TYPE' });
    expect(await stores.reads.generations()).toEqual([]);
  });

  it('stops at a claim event filed in another applicant stream, on one worker too', async () => {
    const db = new Database(stores.events.file);
    const submitted = db
      .prepare(
        `SELECT stream_id, data, metadata FROM events WHERE type = 'ClaimSubmitted' ORDER BY position LIMIT 1`,
      )
      .get() as { stream_id: string; data: string; metadata: string };
    const other = db
      .prepare(
        `SELECT stream_id, max(revision) AS revision FROM events
          WHERE stream_id LIKE 'applicant-%' AND stream_id <> ? GROUP BY stream_id LIMIT 1`,
      )
      .get(submitted.stream_id) as { stream_id: string; revision: number };
    db.prepare(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
       VALUES (?, ?, 'e-misfiled-1', 'ClaimSubmitted', ?, ?)`,
    ).run(other.stream_id, other.revision + 1, submitted.data, submitted.metadata);
    db.close();
    for (const workers of [1, 2])
      await expect(
        rebuildInParallel({ eventFile: stores.events.file, readStore: stores.reads, workers }),
      ).rejects.toMatchObject({ code: 'PROJECTION.PARTITION_MISMATCH' });
    expect(await stores.reads.generations()).toEqual([]);
  });

  it.each([1, 2])(
    'stops on an abort with its reason, leaving no generation (%i workers)',
    async (workers) => {
      const controller = new AbortController();
      const reason = new Error('operator stopped the rebuild');
      const built = rebuildInParallel({
        eventFile: stores.events.file,
        readStore: stores.reads,
        workers,
        signal: controller.signal,
      });
      controller.abort(reason);
      await expect(built).rejects.toBe(reason);
      expect(await stores.reads.generations()).toEqual([]);
    },
  );

  it.each([1, 2])(
    'stops on an abort once every partition is done (the fiscal fold on a thread of its own with 2 workers), leaving no generation nor shard (%i workers)',
    async (workers) => {
      const controller = new AbortController();
      const reason = new Error('operator stopped the rebuild');
      const built = rebuildInParallel({
        eventFile: stores.events.file,
        readStore: stores.reads,
        workers,
        batchSize: 10,
        foldThreadMovementsMin: 0,
        signal: controller.signal,
        onProgress: (events, total) => {
          if (events === total) controller.abort(reason);
        },
      });
      await expect(built).rejects.toBe(reason);
      expect(await stores.reads.generations()).toEqual([]);
      expect(readdirSync(stores.directory).filter((name) => name.startsWith('rebuild-'))).toEqual(
        [],
      );
    },
  );
});

describe('parallel rebuild', () => {
  it('folds the fiscal totals on a thread of its own into the same bytes as the sequential runner', async () => {
    const stores = TestStores.create('projections-fold-thread-');
    try {
      await stores.append(generateEvents(seededRandom(29), 400, { activeApplicants: 12 }));
      const dump = async (generation: number): Promise<string[]> => {
        const lines: string[] = [];
        for await (const line of stores.reads.dumpGeneration(generation)) lines.push(line);
        return lines;
      };
      const { generation } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION, {
        bulkLoad: true,
      });
      await new ProjectionRunner(stores.events, stores.reads, generation).catchUp();
      const sequential = await dump(generation);
      expect(sequential.some((line) => line.includes('fiscal'))).toBe(true);
      for (const workers of [2, 4]) {
        const built = await rebuildInParallel({
          eventFile: stores.events.file,
          readStore: stores.reads,
          workers,
          batchSize: 25,
          foldThreadMovementsMin: 0,
        });
        expect({ workers, lines: await dump(built.generation) }).toEqual({
          workers,
          lines: sequential,
        });
        await stores.reads.dropGeneration(built.generation);
      }
    } finally {
      await stores.close();
    }
  });
});
