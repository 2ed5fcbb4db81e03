/**
 * Properties on generated ledgers (event-level generator of valid histories; the command-path versions
 * live in command-path.int.spec.ts):
 * - invariant 6: a generation rebuilt from position 0 equals the live one byte for byte, whatever the
 *   live batch boundaries were, and so do the rebuilds by 1 (sequential), 2 and 4 worker threads
 *   (issue 13: partitions by applicant stream, fiscal movements merged in position order);
 * - asOf: for any instant, the asOf answer equals a fresh replay of the events recorded up to it.
 */
import fc from 'fast-check';
import { InMemoryReadModel } from '../model/in-memory-read-model';
import { toLedgerRecord } from '../model/ledger-record';
import { generateEvents, seededRandom, servedByModel, servedByStore, TestStores } from '../testing';
import { rebuildInParallel } from '../rebuild/parallel-rebuild';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { ProjectionRunner } from './projection-runner';
import { ProjectionSupervisor } from './projection-supervisor';

jest.setTimeout(120_000);

async function dump(stores: TestStores, generation: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of stores.reads.dumpGeneration(generation)) lines.push(line);
  return lines;
}

/**
 * A generation rebuilt from position 0 beside the others (not activated): by the sequential runner, or by
 * `workers` threads reading their partitions stream by stream (1: the whole log on one worker).
 */
async function rebuildWith(
  stores: TestStores,
  workers: number | 'sequential',
  batchSize: number,
): Promise<number> {
  if (workers === 'sequential') {
    const { generation } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION, {
      bulkLoad: true,
    });
    await new ProjectionRunner(stores.events, stores.reads, generation, { batchSize }).catchUp();
    return generation;
  }
  const built = await rebuildInParallel({
    eventFile: stores.events.file,
    readStore: stores.reads,
    workers,
    batchSize,
    // A tiny cache: an applicant whose stream goes on past a batch must stay in it.
    applicantsCachedMax: 2,
  });
  expect(built.checkpoint).toEqual(await stores.reads.checkpoint(built.generation));
  return built.generation;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Invariant 6: rebuild = live — rebuild equals live, byte for byte', () => {
  it('holds for generated ledgers projected live in random slices and batch sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 97 }),
        fc.array(fc.integer({ min: 1, max: 150 }), { minLength: 2, maxLength: 6 }),
        async (seed, batchSize, slices) => {
          const stores = TestStores.create('projections-rebuild-');
          const supervisor = new ProjectionSupervisor(stores.events, stores.reads, {
            batchSize,
            flushDelayMs: 2,
            rebuildWorkers: 1,
          });
          try {
            await supervisor.start();
            const events = generateEvents(
              seededRandom(seed),
              slices.reduce((a, b) => a + b, 0),
              { activeApplicants: 6 },
            );
            let offset = 0;
            for (const slice of slices) {
              // Appends land while the runner follows live: batches are cut wherever the flush timer falls.
              await stores.append(events.slice(offset, offset + slice));
              offset += slice;
            }
            const head = await stores.events.headPosition();
            await waitUntil(
              async () => ((await stores.reads.activeCheckpoint())?.position ?? 0n) >= head,
            );
            const live = supervisor.status().generation ?? 0;
            const liveDump = await dump(stores, live);
            const rebuilt = await supervisor.rebuild();
            expect(rebuilt.generation).not.toBe(live);
            expect((await stores.reads.activeCheckpoint())?.generation).toBe(rebuilt.generation);
            expect(await dump(stores, rebuilt.generation)).toEqual(liveDump);
            // Issue 13: the sequential runner, and the stream-order rebuild on 1, 2 and 4 workers, give
            // the same bytes.
            for (const workers of ['sequential', 1, 2, 4] as const) {
              const built = await rebuildWith(stores, workers, batchSize);
              expect({ workers, lines: await dump(stores, built) }).toEqual({
                workers,
                lines: liveDump,
              });
              await stores.reads.dropGeneration(built);
            }
          } finally {
            await supervisor.stop();
            await stores.close();
          }
        },
      ),
      { numRuns: 6 },
    );
    // Each run starts 7 worker threads, each loading the TypeScript sources (about 0.5 s of one core).
  }, 600_000);
});

describe('asOf answers what the ledger knew then', () => {
  it('equals a fresh replay of the events recorded up to the instant, for random instants', async () => {
    const stores = TestStores.create('projections-asof-');
    const supervisor = new ProjectionSupervisor(stores.events, stores.reads, { batchSize: 64 });
    try {
      await supervisor.start();
      await stores.append(generateEvents(seededRandom(2024), 1200, { activeApplicants: 10 }));
      const head = await stores.events.headPosition();
      await waitUntil(
        async () => ((await stores.reads.activeCheckpoint())?.position ?? 0n) >= head,
      );
      const records = (await stores.events.readAll({ maxCount: 10_000 })).map(toLedgerRecord);
      const applicants = [
        ...new Set(records.flatMap((e) => (e.type === 'ApplicantRegistered' ? [e.data.uscc] : []))),
      ];
      const firstMs = Date.parse(records[0]?.metadata.recordedAt ?? '');
      const lastMs = Date.parse(records[records.length - 1]?.metadata.recordedAt ?? '');
      // Any instant, and instants on and next to the ledger time of some event (where off-by-one errors live).
      const onEvent = fc
        .tuple(fc.nat(records.length - 1), fc.integer({ min: -1, max: 1 }))
        .map(([index, delta]) => Date.parse(records[index]?.metadata.recordedAt ?? '') + delta);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.integer({ min: firstMs - 1000, max: lastMs + 1000 }), onEvent),
          async (asOfMs) => {
            const replay = InMemoryReadModel.of(
              records.filter((e) => Date.parse(e.metadata.recordedAt) <= asOfMs),
            );
            const served = await servedByStore(stores.reads, applicants, asOfMs);
            const expected = servedByModel(replay, applicants);
            expect(served.caps).toEqual(expected.caps);
            expect(served.fiscal).toEqual(expected.fiscal);
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      await supervisor.stop();
      await stores.close();
    }
  });
});
