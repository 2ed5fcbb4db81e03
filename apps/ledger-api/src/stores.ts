/**
 * Where events live, chosen by configuration. One function so that the PostgreSQL and EventStoreDB
 * adapters plug in here without touching the rest of the app.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteEventStore, systemClock, type Clock, type EventStore } from '@hz/event-store';
import { EVENT_STORE_FILE_NAME, openReadStore, ProjectionSupervisor, READ_MODELS_FILE_NAME, type ReadSideConfig, type ReadStore } from '@hz/projections';
import type { LedgerConfig } from './config';

export const SQLITE_FILE = EVENT_STORE_FILE_NAME;
/** Idempotency records of the HTTP layer: a log of their own, so the ledger's log holds ledger facts only. */
export const IDEMPOTENCY_SQLITE_FILE = 'idempotency.db';

export async function createEventStore(config: LedgerConfig, clock: Clock = systemClock): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite': {
      mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      return openSqliteEventStore({ file: join(config.dataDir, SQLITE_FILE), clock });
    }
    case 'postgres':
      // TODO(postgres colleague): return openPostgresEventStore({ connectionString: config.databaseUrl, clock }).
      throw new Error('LEDGER_EVENT_STORE=postgres is not wired into ledger-api yet; use sqlite');
    case 'eventstoredb':
      throw new Error('LEDGER_EVENT_STORE=eventstoredb is not wired into ledger-api yet; use sqlite');
  }
}

/**
 * Where the HTTP layer keeps its idempotency records. It must be shared by every replica, so it follows
 * the event store's backend: one more SQLite file in the embedded default.
 */
export async function createIdempotencyStore(config: LedgerConfig, clock: Clock = systemClock): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite': {
      mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      return openSqliteEventStore({ file: join(config.dataDir, IDEMPOTENCY_SQLITE_FILE), clock });
    }
    case 'postgres':
    case 'eventstoredb':
      // TODO(postgres colleague): the same backend as the events, in its own table/schema or database.
      throw new Error(`idempotency records on LEDGER_EVENT_STORE=${config.eventStore} are not wired into ledger-api yet; use sqlite`);
  }
}

export interface ReadSide {
  readonly readStore: ReadStore;
  /** The in-process projector; undefined when apps/projector runs it (LEDGER_PROJECTOR=external). */
  readonly runner?: ProjectionSupervisor;
}

/** The read models and, in the embedded default, the projector that keeps them current. */
export async function createReadSide(config: LedgerConfig, events: EventStore): Promise<ReadSide> {
  const readSide: ReadSideConfig = {
    dataDir: config.dataDir,
    eventStore: config.eventStore,
    readStore: config.readStore,
    eventStoreFile: join(config.dataDir, EVENT_STORE_FILE_NAME),
    readModelsFile: join(config.dataDir, READ_MODELS_FILE_NAME),
    databaseUrl: config.databaseUrl,
    projector: config.projector,
    minPositionWaitMs: config.minPositionWaitMs,
  };
  const readStore = await openReadStore(readSide);
  if (config.projector === 'external') return { readStore };
  const log = (message: string) => process.stderr.write(`projector: ${message}\n`);
  return { readStore, runner: new ProjectionSupervisor(events, readStore, { log }) };
}
