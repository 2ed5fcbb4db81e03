/**
 * Where the ledger-api keeps its data, chosen by configuration. The libraries own the selection
 * (`createEventStore` in @hz/event-store, `createReadSide` in @hz/projections) and their own file and
 * schema names; this file only maps the validated LedgerConfig onto them, so ledger-api, apps/projector
 * and the CLI open the very same stores from the same variables.
 */
import { existsSync, mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import {
  auxiliaryStoreConfig,
  createEventStore as openEventStore,
  describeEventStore,
  eventStoreConfigOf,
  INLINE_CHECKPOINT_FRAMES,
  systemClock,
  WRITE_QUEUE_LIMIT_DEFAULT,
  type Clock,
  type EventStore,
  type EventStoreConfig,
  type JsonObject,
} from '@hz/event-store';
import {
  createReadSide as openReadSide,
  describeReadStore,
  readSideConfigOf,
  type ReadSide as LibraryReadSide,
  type ReadSideConfig,
} from '@hz/projections';
import {
  IDEMPOTENCY_RECORD_PREFIX,
  importLegacyIdempotencyRecords,
  LEGACY_RESPONSE_TYPE,
  type LegacyIdempotencySource,
  type LegacyImport,
  type LegacyResponseRow,
  type StoresInUse,
} from '@hz/api';
import type { LedgerConfig } from './config';

/**
 * The idempotency store of EventStoreDB deployments (schema `idempotency` in PostgreSQL), and where the
 * earlier layout kept the records on SQLite (`idempotency.db`) and PostgreSQL (schema `idempotency`).
 */
export const IDEMPOTENCY_STORE_NAME = 'idempotency';

export interface StoreSelection {
  /** The ledger's log; on SQLite and PostgreSQL its `records` table holds the idempotency records too. */
  readonly events: EventStoreConfig;
  /**
   * EventStoreDB: the idempotency records' own store (PostgreSQL, shared by every replica). SQLite and
   * PostgreSQL: where the earlier layout left them, read once at start if it exists, never written.
   */
  readonly idempotency: EventStoreConfig;
  readonly readSide: ReadSideConfig;
}

/**
 * WAL frames from which the service's checkpointer thread copies them back (its hard limit, twice that):
 * the store's inline threshold, so a page written again and again is copied once per 4000 frames; the WAL
 * file stays within about 32 MB.
 */
export const SERVICE_CHECKPOINT_THRESHOLD_FRAMES = INLINE_CHECKPOINT_FRAMES;

/**
 * The libraries' store configurations for a LedgerConfig: the settings loadConfig read once through the
 * schema (@hz/config) are handed on, not re-read, so a value means the same here as in apps/projector and
 * the CLI. Throws EventStoreConfigError or ReadSideConfigError; loadConfig reports those at start-up.
 */
export function storeSelectionOf(config: LedgerConfig): StoreSelection {
  const settings = {
    LEDGER_DATA_DIR: config.dataDir,
    LEDGER_EVENT_STORE: config.eventStore,
    LEDGER_READ_STORE: config.readStore,
    LEDGER_SQLITE_SYNCHRONOUS: config.sqliteSynchronous,
    LEDGER_GROUP_COMMIT: config.groupCommit ?? 'on',
    LEDGER_WRITE_QUEUE_LIMIT: config.writeQueueLimit ?? WRITE_QUEUE_LIMIT_DEFAULT,
    LEDGER_PROJECTOR: config.projector,
    LEDGER_MIN_POSITION_WAIT_MS: config.minPositionWaitMs,
    DATABASE_URL: config.databaseUrl,
    EVENTSTORE_CONNECTION_STRING: config.eventStoreConnectionString,
  };
  const selected = eventStoreConfigOf(settings);
  // By default (LEDGER_SQLITE_CHECKPOINT=thread) the service's embedded store checkpoints its WAL on a
  // checkpointer thread, from 4000 frames, not inside the COMMITs of the thread answering requests
  // (docs/architecture.md §4 "Checkpoints off the committing thread"): in session 12's quiet runs that
  // gave register's p99 41-48 ms against 59-68 inline, at the same CPU per answer (docs/benchmarks.md
  // "The write path, session 12"). `inline` leaves the checkpoint in the COMMIT, past 4000 frames too.
  const events: EventStoreConfig =
    selected.kind === 'sqlite' &&
    selected.writerThread !== true &&
    config.sqliteCheckpoint === 'thread'
      ? {
          ...selected,
          checkpoint: { mode: 'thread', thresholdFrames: SERVICE_CHECKPOINT_THRESHOLD_FRAMES },
        }
      : selected;
  return {
    events,
    idempotency: auxiliaryStoreConfig(events, IDEMPOTENCY_STORE_NAME, {
      databaseUrl: config.databaseUrl,
    }),
    readSide: readSideConfigOf(settings),
  };
}

/** Which backends are in use, for /health/ready (kinds only: the route is open). */
export function storesInUseOf(config: LedgerConfig): StoresInUse {
  const selection = storeSelectionOf(config);
  return {
    events: selection.events.kind,
    idempotency: selection.idempotency.kind,
    readModels: selection.readSide.readStore,
    projector: config.projector,
  };
}

/** One line per store, with where it lives (never a password), for the start-up message. */
export function describeStores(config: LedgerConfig): string[] {
  const selection = storeSelectionOf(config);
  return [
    `events:      ${describeEventStore(selection.events)}`,
    `idempotency: ${
      recordsBesideEvents(config)
        ? 'records table of the event store'
        : describeEventStore(selection.idempotency)
    }`,
    `read models: ${describeReadStore(selection.readSide)} (projector ${config.projector})`,
  ];
}

export async function createEventStore(
  config: LedgerConfig,
  clock: Clock = systemClock,
): Promise<EventStore> {
  return openSelectedStore(config, 'events', clock);
}

/** SQLite and PostgreSQL keep the idempotency records in the event store's own `records` table (issue 12). */
function recordsBesideEvents(config: LedgerConfig): boolean {
  return config.eventStore !== 'eventstoredb';
}

/**
 * Where the HTTP layer keeps its idempotency records (see IdempotencyService): on SQLite and PostgreSQL
 * the ledger's own store `events` (nothing else is opened; closing this view leaves `events` open, its
 * owner closes it), on EventStoreDB the PostgreSQL schema `idempotency`.
 */
export async function createIdempotencyStore(
  config: LedgerConfig,
  events: EventStore,
  clock: Clock = systemClock,
): Promise<EventStore> {
  if (recordsBesideEvents(config)) return withoutClose(events);
  return openSelectedStore(config, 'idempotency', clock);
}

function withoutClose(store: EventStore): EventStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'close') return () => Promise.resolve();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Records the earlier layout left in `idempotency.db` / schema `idempotency` (before issue 12), imported
 * once into the event store's records (libs/api legacy-records.ts; docs/architecture.md §4). Read-only, and
 * only if that file or schema exists: nothing is created or written there. Undefined when there is none.
 */
export async function importLegacyIdempotency(
  config: LedgerConfig,
  events: EventStore,
): Promise<LegacyImport | undefined> {
  if (!recordsBesideEvents(config) || events.records === undefined) return undefined;
  const source = await openLegacyIdempotencySource(storeSelectionOf(config).idempotency);
  if (source === undefined) return undefined;
  try {
    return await importLegacyIdempotencyRecords(source, events.records);
  } finally {
    await source.close();
  }
}

/** The earlier layout's store, read-only; undefined when the file or the schema's events table is absent. */
export async function openLegacyIdempotencySource(
  store: EventStoreConfig,
): Promise<LegacyIdempotencySource | undefined> {
  if (store.kind === 'sqlite') return openLegacySqlite(store.file);
  if (store.kind === 'postgres') return openLegacyPostgres(store.connectionString, store.schema);
  return undefined;
}

const LEGACY_RESPONSES_WHERE = `type = '${LEGACY_RESPONSE_TYPE}' AND stream_id LIKE '${IDEMPOTENCY_RECORD_PREFIX}%'`;

function openLegacySqlite(file: string): LegacyIdempotencySource | undefined {
  if (!existsSync(file)) return undefined;
  const database = new Database(file, { readonly: true, fileMustExist: true });
  const table = database
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'`)
    .get();
  if (table === undefined) {
    database.close();
    return undefined;
  }
  return {
    location: file,
    responses: () => {
      const rows = database
        .prepare(
          `SELECT stream_id, data FROM events WHERE ${LEGACY_RESPONSES_WHERE} ORDER BY position`,
        )
        .all() as Array<{ stream_id: string; data: string }>;
      return Promise.resolve(
        rows.map((row) => ({ streamId: row.stream_id, data: JSON.parse(row.data) as JsonObject })),
      );
    },
    close: () => {
      database.close();
      return Promise.resolve();
    },
  };
}

async function openLegacyPostgres(
  connectionString: string,
  schema = IDEMPOTENCY_STORE_NAME,
): Promise<LegacyIdempotencySource | undefined> {
  const pool = new Pool({ connectionString, max: 1 });
  // A connection dropped while idle must not become an unhandled 'error' (the next query fails instead).
  pool.on('error', () => undefined);
  try {
    const table = `"${schema.replace(/"/g, '""')}".events`;
    const found = await pool.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [
      table,
    ]);
    if (found.rows[0]?.found == null) {
      await pool.end();
      return undefined;
    }
    return {
      location: `schema ${schema}`,
      responses: async () => {
        const rows = await pool.query<{ stream_id: string; data: JsonObject }>(
          `SELECT stream_id, data FROM ${table} WHERE ${LEGACY_RESPONSES_WHERE} ORDER BY position`,
        );
        return rows.rows.map((row): LegacyResponseRow => ({
          streamId: row.stream_id,
          data: row.data,
        }));
      },
      close: () => pool.end(),
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

function openSelectedStore(
  config: LedgerConfig,
  store: 'events' | 'idempotency',
  clock: Clock,
): Promise<EventStore> {
  ensurePrivateDataDir(config);
  return openEventStore({ ...storeSelectionOf(config)[store], clock });
}

/** The data dir holds the JWT secret and the sealing key whatever the backend: owner only, before a factory creates it. */
function ensurePrivateDataDir(config: LedgerConfig): void {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
}

/** The read store and, in the embedded default, the projector that keeps it current (undefined when external). */
export type ReadSide = LibraryReadSide;

/** `logger`: the app's pino logger, so the in-process projector's events are JSON lines too (docs/operations.md). */
export async function createReadSide(
  config: LedgerConfig,
  events: EventStore,
  logger?: { info(message: string): void },
): Promise<ReadSide> {
  const log = logger
    ? (message: string) => logger.info(message)
    : (message: string) => process.stderr.write(`projector: ${message}\n`);
  return openReadSide(storeSelectionOf(config).readSide, events, { log });
}
