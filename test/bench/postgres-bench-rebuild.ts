/**
 * The rebuild figure of postgres.bench.ts: a generated ledger in the PostgreSQL event store (loaded
 * untimed, without waiting for fsync), then every read model rebuilt into a new PostgreSQL read-store
 * generation by the projections' runner, timed. Its ceiling is the same log evolved in memory only.
 */
import { openPostgresEventStore } from '@hz/event-store';
import {
  InMemoryReadModel,
  PROJECTION_SCHEMA_VERSION,
  ProjectionRunner,
  toLedgerRecord,
} from '@hz/projections';
import { openPostgresReadStore } from '../../libs/projections/src/postgres';
import {
  appendGenerated,
  generateEvents,
  seededRandom,
  SettableClock,
} from '../../libs/projections/src/testing';
import { eventsPerSecond } from './postgres-bench-helpers';

export interface RebuildFigure {
  readonly events: number;
  readonly batchSize: number;
  readonly storeEventsPerSecond: number;
  readonly rawEventsPerSecond: number;
}

function withoutFsyncWait(connectionString: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('options', '-c synchronous_commit=off');
  return url.toString();
}

export async function rebuildFigure(
  connectionString: string,
  total: number,
  batchSize: number,
): Promise<RebuildFigure> {
  const clock = new SettableClock();
  const events = await openPostgresEventStore({
    connectionString: withoutFsyncWait(connectionString),
    schema: 'bench_rebuild_events',
    clock,
    poolSize: 2,
  });
  const reads = await openPostgresReadStore({
    connectionString,
    schema: 'bench_rebuild_reads',
    poolSize: 2,
  });
  try {
    await appendGenerated(
      events,
      clock,
      generateEvents(seededRandom(42), total, { activeApplicants: 200 }),
    );
    const { generation } = await reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    const started = process.hrtime.bigint();
    await new ProjectionRunner(events, reads, generation, { batchSize }).catchUp();
    const storeRate = eventsPerSecond(total, started);
    const log = await events.readAll({ maxCount: total });
    const evolveStarted = process.hrtime.bigint();
    InMemoryReadModel.of(log.map(toLedgerRecord));
    return {
      events: total,
      batchSize,
      storeEventsPerSecond: storeRate,
      rawEventsPerSecond: eventsPerSecond(log.length, evolveStarted),
    };
  } finally {
    await reads.close();
    await events.close();
  }
}
