/**
 * Where the ledger-api keeps its data, chosen by configuration. The libraries own the selection
 * (`createEventStore` in @hz/event-store, `createReadSide` in @hz/projections) and their own file and
 * schema names; this file only maps the validated LedgerConfig onto them, so ledger-api, apps/projector
 * and the CLI open the very same stores from the same variables.
 */
import { mkdirSync } from 'node:fs';
import {
  auxiliaryStoreConfig,
  createEventStore as openEventStore,
  describeEventStore,
  eventStoreConfigOf,
  systemClock,
  WRITE_QUEUE_LIMIT_DEFAULT,
  type Clock,
  type EventStore,
  type EventStoreConfig,
} from '@hz/event-store';
import {
  createReadSide as openReadSide,
  describeReadStore,
  readSideConfigOf,
  type ReadSide as LibraryReadSide,
  type ReadSideConfig,
} from '@hz/projections';
import type { StoresInUse } from '@hz/api';
import type { LedgerConfig } from './config';

/** The HTTP layer's idempotency records: `idempotency.db` beside the embedded log, else schema `idempotency`. */
export const IDEMPOTENCY_STORE_NAME = 'idempotency';

export interface StoreSelection {
  /** The ledger's log. */
  readonly events: EventStoreConfig;
  /** Idempotency records: shared by every replica, so on the events' backend (PostgreSQL beside EventStoreDB). */
  readonly idempotency: EventStoreConfig;
  readonly readSide: ReadSideConfig;
}

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
  const events = eventStoreConfigOf(settings);
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
    `idempotency: ${describeEventStore(selection.idempotency)}`,
    `read models: ${describeReadStore(selection.readSide)} (projector ${config.projector})`,
  ];
}

export async function createEventStore(
  config: LedgerConfig,
  clock: Clock = systemClock,
): Promise<EventStore> {
  return openSelectedStore(config, 'events', clock);
}

/** Where the HTTP layer keeps its idempotency records (see IdempotencyService). */
export async function createIdempotencyStore(
  config: LedgerConfig,
  clock: Clock = systemClock,
): Promise<EventStore> {
  return openSelectedStore(config, 'idempotency', clock);
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
