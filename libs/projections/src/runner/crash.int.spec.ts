/**
 * Kill -9 mid-way: a projector process is SIGKILLed at random moments while it catches up, restarted on
 * the same files each time, and finally its rows are compared with a clean build of the same log. Rows
 * and checkpoint commit together, so nothing is lost or counted twice, whenever the kill lands.
 */
import { join } from 'node:path';
import { TsChild } from '@hz/event-store/testing';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { generateEvents, seededRandom, TestStores } from '../testing';
import { ProjectionRunner } from './projection-runner';

jest.setTimeout(180_000);

const CHILD = join(__dirname, '..', 'testing', 'projector.child.ts');
const KILLS = 8;

async function dump(store: SqliteReadStore, generation: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of store.dumpGeneration(generation)) lines.push(line);
  return lines;
}

describe('Invariant 6: rebuild = live', () => {
  it('resumes after SIGKILL without losing or double counting a batch', async () => {
    const stores = TestStores.create('projections-crash-');
    const random = seededRandom(99);
    try {
      await stores.append(generateEvents(seededRandom(5), 12_000, { activeApplicants: 30 }));
      const head = await stores.events.headPosition();
      await stores.reads.close();
      const stored = async (): Promise<bigint> => {
        const store = new SqliteReadStore(join(stores.directory, 'read-models.db'));
        const position = (await store.activeCheckpoint())?.position ?? 0n;
        await store.close();
        return position;
      };
      const positions: bigint[] = [];
      for (let round = 0; round < KILLS && (positions.at(-1) ?? 0n) < head; round += 1) {
        const child = new TsChild(CHILD, [stores.directory, '97']);
        try {
          while ((await child.nextLine(60_000)) !== 'ready');
          // Wait for this run's first commit (the process is warm and there is work left), then kill at a random moment.
          while (!(await child.nextLine(60_000)).startsWith('at '));
          await new Promise((resolve) => setTimeout(resolve, random.int(250)));
        } finally {
          child.process.kill('SIGKILL');
          await child.exited;
        }
        positions.push(await stored());
      }
      // The kills landed mid-way: every run committed at least one batch, and 12,000 events took several runs.
      expect(
        positions.filter((position) => position > 0n && position < head).length,
      ).toBeGreaterThanOrEqual(3);
      if ((positions.at(-1) ?? 0n) < head) {
        // The last run is left to finish from wherever the kills left it.
        const child = new TsChild(CHILD, [stores.directory, '97']);
        try {
          for (
            let line = await child.nextLine(60_000);
            line !== `at ${head}`;
            line = await child.nextLine(60_000)
          );
        } finally {
          await child.stop(100);
        }
      }

      const resumed = new SqliteReadStore(join(stores.directory, 'read-models.db'));
      const clean = new SqliteReadStore(join(stores.directory, 'clean.db'));
      try {
        const live = await resumed.activeCheckpoint();
        expect(live?.position).toBe(head);
        const { generation } = await clean.createGeneration(PROJECTION_SCHEMA_VERSION);
        await new ProjectionRunner(stores.events, clean, generation, { batchSize: 1000 }).catchUp();
        expect(await dump(resumed, live?.generation ?? 0)).toEqual(await dump(clean, generation));
      } finally {
        await resumed.close();
        await clean.close();
      }
    } finally {
      await stores.events.close();
    }
  });
});
