/**
 * The projector lease and its fence (runner/projector-lease.ts), on both read stores: one holder at a
 * time, a standby takes an expired lease with a higher epoch, and a batch committed under the old epoch
 * (a leader that stalled past its expiry and woke up) is refused in the commit's own transaction,
 * leaving rows and checkpoint untouched.
 */
import { join } from 'node:path';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@hz/event-store';
import { openPostgresReadStore } from '../postgres';
import { PostgresProjectorLease } from '../postgres/postgres-lease';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { SqliteProjectorLease } from '../sqlite/sqlite-lease';
import type { ReadStore } from '../store/read-store';
import { generateEvents, seededRandom, TestStores } from '../testing';
import { ProjectionRunner } from './projection-runner';
import {
  LeaseLost,
  PROJECTOR_LEASE_NAME,
  type LeaseFence,
  type ProjectorLease,
} from './projector-lease';

jest.setTimeout(60_000);

const TTL_MS = 300;

interface Backend {
  readonly reads: ReadStore;
  lease(holder: string): Promise<ProjectorLease>;
  close(): Promise<void>;
}

let stores: TestStores;
let database: ThrowawayDatabase | undefined;

beforeAll(async () => {
  stores = TestStores.create('projections-lease-');
  await stores.append(generateEvents(seededRandom(3), 200, { activeApplicants: 5 }));
});
afterAll(async () => {
  await stores.close();
  await database?.drop();
});

async function sqliteBackend(): Promise<Backend> {
  return {
    reads: stores.reads,
    lease: async (holder) =>
      new SqliteProjectorLease(
        join(stores.directory, 'read-models.db'),
        holder,
        TTL_MS,
        PROJECTOR_LEASE_NAME,
      ),
    close: async () => undefined,
  };
}

async function postgresBackend(): Promise<Backend> {
  database = await createThrowawayDatabase('ledger_lease');
  const connectionString = database.connectionString;
  const reads = await openPostgresReadStore({ connectionString, poolSize: 2 });
  return {
    reads,
    lease: (holder) =>
      PostgresProjectorLease.open({
        connectionString,
        schema: 'read_models',
        holder,
        ttlMs: TTL_MS,
        name: PROJECTOR_LEASE_NAME,
      }),
    close: () => reads.close(),
  };
}

async function takeWhenExpired(lease: ProjectorLease): Promise<LeaseFence> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const fence = await lease.tryAcquire();
    if (fence) return fence;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the lease never expired');
}

it.each([
  ['SQLite', sqliteBackend],
  ['PostgreSQL', postgresBackend],
])('fences a stalled leader out of the read store on %s', async (_name, makeBackend) => {
  const backend = await makeBackend();
  const old = await backend.lease('projector-a');
  const standby = await backend.lease('projector-b');
  try {
    const { generation } = await backend.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    await backend.reads.activate(generation, 0n);
    const oldFence = await old.tryAcquire();
    expect(oldFence).toEqual({ name: PROJECTOR_LEASE_NAME, holder: 'projector-a', epoch: 1 });
    expect(await standby.tryAcquire()).toBeUndefined();
    // projector-a stalls (no renewal); once its lease expired, projector-b takes it with the next epoch.
    const newFence = await takeWhenExpired(standby);
    expect(newFence.epoch).toBe(2);
    expect(await old.renew(oldFence as LeaseFence)).toBe(false);

    // projector-a wakes up and commits a batch under epoch 1: refused, nothing written.
    const stale = new ProjectionRunner(stores.events, backend.reads, generation, {
      batchSize: 50,
      fence: () => oldFence,
    });
    await expect(stale.catchUp()).rejects.toBeInstanceOf(LeaseLost);
    expect(await backend.reads.checkpoint(generation)).toEqual({ position: 0n, watermarkMs: 0 });
    const rows: string[] = [];
    for await (const line of backend.reads.dumpGeneration(generation)) rows.push(line);
    expect(rows).toEqual([]);

    // The current holder's batches go through.
    const current = new ProjectionRunner(stores.events, backend.reads, generation, {
      batchSize: 50,
      fence: () => newFence,
    });
    expect((await current.catchUp()).position).toBe(await stores.events.headPosition());
    expect(await standby.renew(newFence)).toBe(true);
  } finally {
    await old.close();
    await standby.close();
    await backend.close();
  }
});
