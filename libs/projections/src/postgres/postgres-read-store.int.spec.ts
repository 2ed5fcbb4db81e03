/**
 * The projections' runner tests against PostgreSQL, the production layout: events in a PostgreSQL event
 * store, read models in a PostgreSQL read store, one throwaway database per run. Plus the cross-check
 * that a PostgreSQL generation dumps byte for byte like a SQLite generation built from the same log.
 */
import { Client, Pool } from 'pg';
import {
  createThrowawayDatabase,
  openPostgresEventStore,
  type JsonObject,
  type PostgresEventStore,
  type ThrowawayDatabase,
} from '@hz/event-store';
import { InMemoryReadModel } from '../model/in-memory-read-model';
import { toLedgerRecord } from '../model/ledger-record';
import { emptyChanges } from '../model/registry';
import { ProjectionRunner } from '../runner/projection-runner';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import type { ReadStore } from '../store/read-store';
import {
  generateEvents,
  seededRandom,
  servedByModel,
  servedByStore,
  SettableClock,
  TestStores,
  type GeneratedEvent,
} from '../testing';
import {
  openPostgresReadStore,
  PROJECTOR_BEGIN,
  type PostgresReadStore,
} from './postgres-read-store';
import { withTransaction } from './postgres-transaction';

jest.setTimeout(120_000);

let database: ThrowawayDatabase;
let connectionString: string;
let schemaCounter = 0;

interface PgStores {
  readonly clock: SettableClock;
  readonly events: PostgresEventStore;
  readonly reads: PostgresReadStore;
}

beforeAll(async () => {
  database = await createThrowawayDatabase('ledger_reads');
  // Rows and checkpoints, not durability, are under test: skip waiting for each commit's fsync.
  const url = new URL(database.connectionString);
  url.searchParams.set('options', '-c synchronous_commit=off');
  connectionString = url.toString();
});

afterAll(async () => {
  await database.drop();
});

async function openStores(): Promise<PgStores> {
  schemaCounter += 1;
  const clock = new SettableClock();
  const events = await openPostgresEventStore({
    connectionString,
    schema: `events_${schemaCounter}`,
    clock,
    pollIntervalMs: 20,
    poolSize: 4,
  });
  const reads = await openPostgresReadStore({
    connectionString,
    schema: `reads_${schemaCounter}`,
    poolSize: 4,
  });
  return { clock, events, reads };
}

async function closeStores(stores: PgStores): Promise<void> {
  await stores.reads.close();
  await stores.events.close();
}

async function append(
  stores: Pick<PgStores, 'clock' | 'events'>,
  generated: readonly GeneratedEvent[],
): Promise<void> {
  for (const event of generated) {
    stores.clock.set(event.recordedAt);
    await stores.events.appendToStream(
      event.streamId,
      [
        {
          id: event.id,
          type: event.type,
          data: event.data as JsonObject,
          metadata: event.metadata,
        },
      ],
      {
        expectedRevision: 'any',
      },
    );
  }
}

async function dump(reads: ReadStore, generation: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of reads.dumpGeneration(generation)) lines.push(line);
  return lines;
}

/** The first line where two dumps differ (small enough to read in a failure), or undefined. */
function firstDifference(
  left: readonly string[],
  right: readonly string[],
): { index: number; left?: string; right?: string } | undefined {
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    if (left[index] !== right[index]) return { index, left: left[index], right: right[index] };
  }
  return undefined;
}

async function newActiveGeneration(reads: ReadStore): Promise<number> {
  const { generation } = await reads.createGeneration(PROJECTION_SCHEMA_VERSION);
  await reads.activate(generation, 0n);
  return generation;
}

async function sql(
  text: string,
  values: readonly unknown[] = [],
): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(text, [...values])).rows;
  } finally {
    await client.end();
  }
}

describe('ProjectionRunner on PostgreSQL', () => {
  let stores: PgStores;
  beforeEach(async () => {
    stores = await openStores();
  });
  afterEach(async () => {
    await closeStores(stores);
  });

  describe('Invariant 6: rebuild = live', () => {
    it('serves exactly what a fresh replay of the log computes, now and as of earlier instants', async () => {
      await append(stores, generateEvents(seededRandom(7), 1500, { activeApplicants: 12 }));
      const generation = await newActiveGeneration(stores.reads);
      await new ProjectionRunner(stores.events, stores.reads, generation, {
        batchSize: 113,
      }).catchUp();
      const recorded = await stores.events.readAll({ maxCount: 10_000 });
      const model = InMemoryReadModel.of(recorded.map(toLedgerRecord));
      const applicants = [...new Set(model.allClaims().map((claim) => claim.applicant))];
      expect(applicants.length).toBeGreaterThan(10);
      expect(await servedByStore(stores.reads, applicants)).toEqual(
        servedByModel(model, applicants),
      );
      for (const event of [recorded[200], recorded[900]]) {
        const asOfMs = event === undefined ? 0 : Date.parse(event.metadata.recordedAt);
        expect(await servedByStore(stores.reads, applicants, asOfMs)).toEqual(
          servedByModel(model, applicants, asOfMs),
        );
      }
      const claimId = model.allClaims()[0]?.claimId ?? '';
      expect(await stores.reads.claimHistory(claimId)).toEqual(model.auditTrail(claimId));
      // Applicants by a part of the name: the same rows, order and bound as the model.
      for (const query of [
        { nameContains: 'Company 1', limit: 5 },
        { nameContains: 'pany', limit: 3 },
        { nameContains: 'nobody', limit: 5 },
      ]) {
        expect(await stores.reads.findApplicants(query)).toEqual(model.findApplicants(query));
      }
      expect((await stores.reads.findApplicants({ nameContains: 'pany', limit: 3 })).length).toBe(
        3,
      );
      // Fiscal buckets carry the policy clause of their program.
      const clauses = new Set(
        (await stores.reads.fiscalBuckets({})).map((bucket) => bucket.clause),
      );
      expect(clauses.size).toBeGreaterThan(1);
      expect(
        [...clauses].every((clause) => /^[一二三四五]\([一二三四五六七八九]\)$/.test(clause)),
      ).toBe(true);
    });
  });

  describe('Invariant 6: rebuild = live', () => {
    it('dumps a generation byte for byte like SQLite does for the same log', async () => {
      const generated = generateEvents(seededRandom(5), 600, { activeApplicants: 6 });
      await append(stores, generated);
      const pgGeneration = await newActiveGeneration(stores.reads);
      await new ProjectionRunner(stores.events, stores.reads, pgGeneration, {
        batchSize: 97,
      }).catchUp();
      const sqlite = TestStores.create('projections-pg-compare-');
      try {
        await sqlite.append(generated);
        const sqliteGeneration = await newActiveGeneration(sqlite.reads);
        await new ProjectionRunner(sqlite.events, sqlite.reads, sqliteGeneration, {
          batchSize: 200,
        }).catchUp();
        const [pgLines, sqliteLines] = [
          await dump(stores.reads, pgGeneration),
          await dump(sqlite.reads, sqliteGeneration),
        ];
        expect(pgLines.length).toBeGreaterThan(600);
        expect(firstDifference(pgLines, sqliteLines)).toBeUndefined();
      } finally {
        await sqlite.close();
      }
    });
  });

  describe('Invariant 6: rebuild = live', () => {
    it('writes insert-only rows by COPY exactly as SQLite stores them, backslashes, tabs and line breaks included', async () => {
      // COPY's text format escapes \\, tab, newline and return (postgres-read-store.ts copyValue): the
      // audit rows carry them in the actor (raw) and in data_json (a JSON-escaped reason).
      const awkward = 'reviewer\twith a tab\nand a line, back\\slash, return\r and "quotes" \\N';
      const generated = generateEvents(seededRandom(11), 300, { activeApplicants: 4 }).map(
        (event) =>
          event.type === 'ClaimWithdrawn' || event.type === 'ClaimRejected'
            ? {
                ...event,
                data: { ...(event.data as object), reason: awkward },
                metadata: { ...event.metadata, actor: awkward },
              }
            : event,
      ) as GeneratedEvent[];
      expect(
        generated.filter((event) => (event.metadata as { actor?: string }).actor === awkward)
          .length,
      ).toBeGreaterThan(0);
      await append(stores, generated);
      const pgGeneration = await newActiveGeneration(stores.reads);
      await new ProjectionRunner(stores.events, stores.reads, pgGeneration, {
        batchSize: 50,
      }).catchUp();
      const sqlite = TestStores.create('projections-pg-copy-');
      try {
        await sqlite.append(generated);
        const sqliteGeneration = await newActiveGeneration(sqlite.reads);
        await new ProjectionRunner(sqlite.events, sqlite.reads, sqliteGeneration).catchUp();
        const pgLines = await dump(stores.reads, pgGeneration);
        expect(pgLines.some((line) => line.includes('back\\\\slash'))).toBe(true);
        expect(
          firstDifference(pgLines, await dump(sqlite.reads, sqliteGeneration)),
        ).toBeUndefined();
      } finally {
        await sqlite.close();
      }
    });
  });

  describe('Invariant 6: rebuild = live', () => {
    it('commits rows and checkpoint in one transaction: a failure mid-batch leaves neither, and a restart does not count twice', async () => {
      await append(stores, generateEvents(seededRandom(11), 800, { activeApplicants: 8 }));
      const clean = await newActiveGeneration(stores.reads);
      await new ProjectionRunner(stores.events, stores.reads, clean, { batchSize: 50 }).catchUp();
      const { generation } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
      const schema = stores.reads.schema;
      // Simulated crash: writing one fiscal row in the middle of some batch fails after other rows of it were written.
      await sql(`CREATE FUNCTION "${schema}".crash() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.position = (SELECT min(position) FROM "${schema}".g${clean}_fiscal_versions WHERE position > 300)
      THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$`);
      await sql(
        `CREATE TRIGGER crash BEFORE INSERT ON "${schema}".g${generation}_fiscal_versions FOR EACH ROW EXECUTE FUNCTION "${schema}".crash()`,
      );
      await expect(
        new ProjectionRunner(stores.events, stores.reads, generation, { batchSize: 50 }).catchUp(),
      ).rejects.toThrow('simulated crash');
      const stored = await stores.reads.checkpoint(generation);
      expect(stored.position > 0n && stored.position <= 300n + 50n).toBe(true);
      const beyond = await sql(
        `SELECT count(*)::int AS n FROM "${schema}".g${generation}_audit WHERE position > $1`,
        [stored.position.toString()],
      );
      expect(beyond).toEqual([{ n: 0 }]);
      await sql(`DROP TRIGGER crash ON "${schema}".g${generation}_fiscal_versions`);
      // A new runner (a restarted process) resumes from the stored checkpoint with an empty working set.
      await new ProjectionRunner(stores.events, stores.reads, generation, {
        batchSize: 77,
      }).catchUp();
      expect(await dump(stores.reads, generation)).toEqual(await dump(stores.reads, clean));
    });
  });

  it('refuses a batch computed from a checkpoint another runner has moved', async () => {
    const generation = await newActiveGeneration(stores.reads);
    const one = new ProjectionRunner(stores.events, stores.reads, generation, { batchSize: 100 });
    const two = new ProjectionRunner(stores.events, stores.reads, generation, { batchSize: 100 });
    await one.catchUp();
    await two.catchUp();
    await append(stores, generateEvents(seededRandom(3), 300));
    await one.catchUp();
    await expect(two.catchUp()).rejects.toMatchObject({ code: 'PROJECTION.CHECKPOINT_CONFLICT' });
    await append(
      stores,
      generateEvents(seededRandom(4), 50).map((event) => ({
        ...event,
        id: event.id.replace('00000000', '11111111'),
      })),
    );
    await two.catchUp();
    expect((await stores.reads.checkpoint(generation)).position).toBe(
      await stores.events.headPosition(),
    );
  });

  it('keeps one active generation: activation retires the old one, refuses one that is behind, never drops the active one', async () => {
    const first = await newActiveGeneration(stores.reads);
    const { generation: second } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    await expect(stores.reads.activate(second, 10n)).rejects.toMatchObject({
      code: 'PROJECTION.CHECKPOINT_CONFLICT',
    });
    await stores.reads.activate(second, 0n);
    expect(
      (await stores.reads.generations()).map((info) => [info.generation, info.status]),
    ).toEqual([
      [first, 'retired'],
      [second, 'active'],
    ]);
    await expect(stores.reads.dropGeneration(second)).rejects.toThrow(/active/);
    await stores.reads.dropGeneration(first);
    await expect(stores.reads.checkpoint(first)).rejects.toMatchObject({
      code: 'PROJECTION.GENERATION_NOT_FOUND',
    });
    expect(await stores.reads.activeCheckpoint()).toEqual({
      generation: second,
      position: 0n,
      watermarkMs: 0,
    });
  });
});

describe("the projector's batch transaction (docs/architecture.md, the projector's commit on PostgreSQL)", () => {
  it('commits without waiting for the WAL flush, for that transaction only: the pooled connection keeps its default', async () => {
    // The database's own default (synchronous_commit=on), not the suite's session option.
    const pool = new Pool({ connectionString: database.connectionString, max: 1 });
    const sent: string[] = [];
    const reads = await openPostgresReadStore({ pool, schema: 'reads_async_commit' });
    try {
      const show = async (client: { query: Pool['query'] }): Promise<string> =>
        String((await client.query('SHOW synchronous_commit')).rows[0].synchronous_commit);
      expect(await withTransaction(pool, show, PROJECTOR_BEGIN)).toBe('off');
      expect(await withTransaction(pool, show)).toBe('on');
      // commit() opens its transaction with PROJECTOR_BEGIN (the statements its connection is sent).
      const generation = await newActiveGeneration(reads);
      pool.on('acquire', (client) => {
        const query = client.query.bind(client) as (text: unknown, ...rest: unknown[]) => unknown;
        client.query = ((text: unknown, ...rest: unknown[]) => {
          if (typeof text === 'string') sent.push(text);
          return query(text, ...rest);
        }) as typeof client.query;
      });
      await reads.commit({
        generation,
        from: { position: 0n, watermarkMs: 0 },
        to: { position: 1n, watermarkMs: 5 },
        rows: emptyChanges(),
      });
      expect(sent[0]).toBe(PROJECTOR_BEGIN);
      expect(sent.at(-1)).toBe('COMMIT');
      expect(await reads.checkpoint(generation)).toEqual({ position: 1n, watermarkMs: 5 });
      expect(await withTransaction(pool, show)).toBe('on');
    } finally {
      await reads.close();
      await pool.end();
    }
  });
});
