/**
 * Chooses the event store adapter. `createEventStore` takes an explicit config (tests, the CLI, the
 * apps); `eventStoreConfigFromEnv` builds that config from the environment (architecture.md §1) and
 * fails at start-up with a message naming the variable to fix, never later on first use.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { openEventStoreDbStore } from './eventstoredb/eventstoredb-event-store';
import type { Clock, EventStore } from './port';
import { openPostgresEventStore } from './postgres/postgres-event-store';
import { openSqliteEventStore, type SqliteSynchronous } from './sqlite/sqlite-event-store';

export const EVENT_STORE_KINDS = ['sqlite', 'postgres', 'eventstoredb'] as const;
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];

/** The embedded store's file inside LEDGER_DATA_DIR. */
export const SQLITE_EVENT_STORE_FILE_NAME = 'ledger.db';
export const DEFAULT_DATA_DIR = './data';

export type EventStoreConfig =
  | { readonly kind: 'sqlite'; readonly file: string; readonly synchronous?: SqliteSynchronous; readonly clock?: Clock }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema?: string; readonly clock?: Clock }
  | { readonly kind: 'eventstoredb'; readonly connectionString: string; readonly clock?: Clock };

export class EventStoreConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStoreConfigError';
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

export function eventStoreConfigFromEnv(env: Environment = process.env): EventStoreConfig {
  const kind = eventStoreKind(env['LEDGER_EVENT_STORE']);
  switch (kind) {
    case 'sqlite': {
      const dataDir = nonEmpty(env['LEDGER_DATA_DIR']) ?? DEFAULT_DATA_DIR;
      return { kind, file: resolve(join(dataDir, SQLITE_EVENT_STORE_FILE_NAME)) };
    }
    case 'postgres':
      return { kind, connectionString: postgresUrl(env['DATABASE_URL']) };
    case 'eventstoredb':
      return { kind, connectionString: eventStoreDbUrl(env['EVENTSTORE_CONNECTION_STRING']) };
  }
}

export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'sqlite':
      // The data directory is created on first start; the file itself by SQLite.
      mkdirSync(dirname(config.file), { recursive: true });
      return openSqliteEventStore({ file: config.file, synchronous: config.synchronous, clock: config.clock });
    case 'postgres':
      return openPostgresEventStore({ connectionString: config.connectionString, schema: config.schema, clock: config.clock });
    case 'eventstoredb':
      return openEventStoreDbStore({ connectionString: config.connectionString, clock: config.clock });
    default: {
      const unknown: never = config;
      throw new EventStoreConfigError(`unknown event store kind ${JSON.stringify(unknown)}`);
    }
  }
}

function eventStoreKind(value: string | undefined): EventStoreKind {
  const text = nonEmpty(value);
  if (text === undefined) return 'sqlite';
  if ((EVENT_STORE_KINDS as readonly string[]).includes(text)) return text as EventStoreKind;
  throw new EventStoreConfigError(`LEDGER_EVENT_STORE must be one of ${EVENT_STORE_KINDS.join(', ')} (default sqlite), got ${JSON.stringify(text)}`);
}

function postgresUrl(value: string | undefined): string {
  const text = nonEmpty(value);
  if (text === undefined) {
    throw new EventStoreConfigError('LEDGER_EVENT_STORE=postgres needs DATABASE_URL, e.g. postgres://ledger@db:5432/ledger');
  }
  // The URL may hold a password: messages name the problem, never echo the value.
  if (!/^postgres(ql)?:\/\//.test(text) || !parses(text)) {
    throw new EventStoreConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL, e.g. postgres://ledger@db:5432/ledger');
  }
  return text;
}

function eventStoreDbUrl(value: string | undefined): string {
  const text = nonEmpty(value);
  if (text === undefined) {
    throw new EventStoreConfigError('LEDGER_EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://node1:2113,node2:2113,node3:2113?tls=false');
  }
  if (!/^esdb(\+discover)?:\/\/[^/?]+/.test(text)) {
    throw new EventStoreConfigError('EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover:// followed by host:port, e.g. esdb://node1:2113?tls=false');
  }
  return text;
}

function nonEmpty(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text === undefined || text === '' ? undefined : text;
}

function parses(url: string): boolean {
  try {
    return new URL(url).hostname !== '' || url.includes('host=');
  } catch {
    return false;
  }
}
