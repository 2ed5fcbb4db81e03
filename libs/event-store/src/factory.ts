/**
 * Chooses the event store adapter. `createEventStore` takes an explicit config (tests, the CLI, the
 * apps); `eventStoreConfigFromEnv` builds that config from the environment (docs/architecture.md §1) and
 * fails at start-up with a message naming the variable to fix, never later on first use.
 */
import { mkdirSync } from 'node:fs';
import { EVENT_STORE_KINDS, readEnvironment, type Environment, type Settings } from '@hz/config';
import { dirname, join, resolve } from 'node:path';
import { openEventStoreDbStore } from './eventstoredb/eventstoredb-event-store';
import type { Clock, EventStore } from './port';
import { openPostgresEventStore, POSTGRES_DEFAULT_SCHEMA } from './postgres/postgres-event-store';
import {
  openSqliteEventStore,
  type CheckpointOptions,
  type SqliteSynchronous,
} from './sqlite/sqlite-event-store';
import { isInMemorySqlite, prepareEmbeddedFile } from './private-files';
import { WRITE_QUEUE_LIMIT_DEFAULT, type GroupCommitOptions } from './group-commit';

export { EVENT_STORE_KINDS };
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];

/** The embedded store's file inside LEDGER_DATA_DIR. */
export const SQLITE_EVENT_STORE_FILE_NAME = 'ledger.db';

export type EventStoreConfig =
  | ({
      readonly kind: 'sqlite';
      readonly file: string;
      readonly synchronous?: SqliteSynchronous;
      readonly clock?: Clock;
      /** Group-commit batches on a writer thread (LEDGER_GROUP_COMMIT=thread; sqlite/writer-thread.ts). */
      readonly writerThread?: boolean;
      /** Where WAL checkpoints run (sqlite/checkpointer.ts); absent: SQLite's own, in the COMMIT. */
      readonly checkpoint?: CheckpointOptions;
    } & GroupCommitOptions)
  | ({
      readonly kind: 'postgres';
      readonly connectionString: string;
      readonly schema?: string;
      readonly clock?: Clock;
    } & GroupCommitOptions)
  | { readonly kind: 'eventstoredb'; readonly connectionString: string; readonly clock?: Clock };

export class EventStoreConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStoreConfigError';
  }
}

/** The settings (docs/operations.md "Environment") the event store is chosen by. */
export type EventStoreSettings = Pick<
  Settings,
  | 'LEDGER_EVENT_STORE'
  | 'LEDGER_DATA_DIR'
  | 'LEDGER_SQLITE_SYNCHRONOUS'
  | 'LEDGER_GROUP_COMMIT'
  | 'LEDGER_WRITE_QUEUE_LIMIT'
  | 'DATABASE_URL'
  | 'EVENTSTORE_CONNECTION_STRING'
>;

export const EVENT_STORE_VARIABLES = [
  'LEDGER_EVENT_STORE',
  'LEDGER_DATA_DIR',
  'LEDGER_SQLITE_SYNCHRONOUS',
  'LEDGER_GROUP_COMMIT',
  'LEDGER_WRITE_QUEUE_LIMIT',
  'DATABASE_URL',
  'EVENTSTORE_CONNECTION_STRING',
] as const satisfies readonly (keyof EventStoreSettings)[];

/**
 * The event store the settings name. The apps read the environment once through @hz/config's schema and
 * pass the settings here; this library never reads process.env. Validates what only the store knows:
 * the URL shapes.
 */
export function eventStoreConfigOf(settings: EventStoreSettings): EventStoreConfig {
  const kind = settings.LEDGER_EVENT_STORE;
  // Issue 12: on by default; the queue bound is the 503 LEDGER.OVERLOADED threshold.
  const writes: GroupCommitOptions = {
    ...(settings.LEDGER_GROUP_COMMIT === 'off' ? { groupCommit: false } : {}),
    // Only a non-default bound is spelled out: absent means the adapter's default (group-commit.ts).
    ...(settings.LEDGER_WRITE_QUEUE_LIMIT === undefined ||
    settings.LEDGER_WRITE_QUEUE_LIMIT === WRITE_QUEUE_LIMIT_DEFAULT
      ? {}
      : { writeQueueLimit: settings.LEDGER_WRITE_QUEUE_LIMIT }),
  };
  switch (kind) {
    case 'sqlite':
      return {
        kind,
        file: resolve(join(settings.LEDGER_DATA_DIR, SQLITE_EVENT_STORE_FILE_NAME)),
        // Absent means the adapter's default, FULL (sqlite-event-store.ts).
        ...(settings.LEDGER_SQLITE_SYNCHRONOUS === 'NORMAL' ? { synchronous: 'NORMAL' } : {}),
        ...(settings.LEDGER_GROUP_COMMIT === 'thread' ? { writerThread: true } : {}),
        ...writes,
      };
    case 'postgres':
      return { kind, connectionString: postgresUrl(settings.DATABASE_URL), ...writes };
    case 'eventstoredb':
      return { kind, connectionString: eventStoreDbUrl(settings.EVENTSTORE_CONNECTION_STRING) };
  }
}

/** eventStoreConfigOf for a plain record of variables (tests, the CLI's environment), parsed by the schema. */
export function eventStoreConfigFromEnv(env: Environment): EventStoreConfig {
  const { settings, problems } = readEnvironment(env, EVENT_STORE_VARIABLES);
  if (problems[0] !== undefined) throw new EventStoreConfigError(problems[0]);
  return eventStoreConfigOf(settings);
}

export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'sqlite':
      // The data directory is created (0700) or tightened, and the file created 0600, before SQLite opens it (private-files.ts).
      if (isInMemorySqlite(config.file)) mkdirSync(dirname(config.file), { recursive: true });
      else prepareEmbeddedFile(config.file, dirname(config.file));
      return openSqliteEventStore({
        file: config.file,
        synchronous: config.synchronous,
        clock: config.clock,
        groupCommit: config.groupCommit,
        writeQueueLimit: config.writeQueueLimit,
        groupCommitBatchMax: config.groupCommitBatchMax,
        writerThread: config.writerThread,
        checkpoint: config.checkpoint,
      });
    case 'postgres':
      return openPostgresEventStore({
        connectionString: config.connectionString,
        schema: config.schema,
        clock: config.clock,
        groupCommit: config.groupCommit,
        writeQueueLimit: config.writeQueueLimit,
        groupCommitBatchMax: config.groupCommitBatchMax,
      });
    case 'eventstoredb':
      return openEventStoreDbStore({
        connectionString: config.connectionString,
        clock: config.clock,
      });
    default: {
      const unknown: never = config;
      throw new EventStoreConfigError(`unknown event store kind ${JSON.stringify(unknown)}`);
    }
  }
}

/** Identifiers only: the name becomes a file name (SQLite) or a schema name (PostgreSQL). */
const AUXILIARY_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

/**
 * A second log on the same backend as the events, for records that are not ledger facts (the HTTP
 * layer's idempotency records): `<name>.db` beside the embedded file, or schema `<name>` in the same
 * PostgreSQL database. EventStoreDB offers no log of its own to put them in: its `$all` is what the
 * projector and the auditor read, and both refuse event types they do not know. So with EventStoreDB the
 * records go to a PostgreSQL schema (DATABASE_URL, which the production stack sets for the read models).
 */
export function auxiliaryStoreConfig(
  events: EventStoreConfig,
  name: string,
  options: { readonly databaseUrl?: string } = {},
): EventStoreConfig {
  if (!AUXILIARY_NAME_PATTERN.test(name))
    throw new RangeError(
      `auxiliary store name ${JSON.stringify(name)} must match ${AUXILIARY_NAME_PATTERN.source}`,
    );
  switch (events.kind) {
    case 'sqlite':
      return {
        kind: 'sqlite',
        file: join(dirname(events.file), `${name}.db`),
        synchronous: events.synchronous,
        clock: events.clock,
        groupCommit: events.groupCommit,
        writeQueueLimit: events.writeQueueLimit,
      };
    case 'postgres':
      return {
        kind: 'postgres',
        connectionString: events.connectionString,
        schema: name,
        clock: events.clock,
      };
    case 'eventstoredb': {
      const databaseUrl = nonEmpty(options.databaseUrl);
      if (databaseUrl === undefined) {
        throw new EventStoreConfigError(
          `LEDGER_EVENT_STORE=eventstoredb keeps its ${name} records in PostgreSQL: set DATABASE_URL, e.g. postgres://ledger@db:5432/ledger`,
        );
      }
      return {
        kind: 'postgres',
        connectionString: postgresUrl(databaseUrl),
        schema: name,
        clock: events.clock,
      };
    }
  }
}

/** Where a store lives, for start-up messages and logs: never the password of a connection string. */
export function describeEventStore(config: EventStoreConfig): string {
  switch (config.kind) {
    case 'sqlite':
      return `sqlite ${config.file}`;
    case 'postgres':
      return `postgres ${describePostgresUrl(config.connectionString)} schema ${config.schema ?? POSTGRES_DEFAULT_SCHEMA}`;
    case 'eventstoredb':
      return `eventstoredb ${/^esdb(?:\+discover)?:\/\/(?:[^@/?]*@)?([^/?]+)/.exec(config.connectionString)?.[1] ?? '(unparsed)'}`;
  }
}

/** `host:port/database` of a PostgreSQL URL, without user or password. */
export function describePostgresUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const host = url.host === '' ? (url.searchParams.get('host') ?? 'localhost') : url.host;
    return `${host}${url.pathname}`;
  } catch {
    return '(unparsed URL)';
  }
}

function postgresUrl(value: string | undefined): string {
  const text = nonEmpty(value);
  if (text === undefined) {
    throw new EventStoreConfigError(
      'LEDGER_EVENT_STORE=postgres needs DATABASE_URL, e.g. postgres://ledger@db:5432/ledger',
    );
  }
  // The URL may hold a password: messages name the problem, never echo the value.
  if (!/^postgres(ql)?:\/\//.test(text) || !parses(text)) {
    throw new EventStoreConfigError(
      'DATABASE_URL must be a postgres:// or postgresql:// URL, e.g. postgres://ledger@db:5432/ledger',
    );
  }
  return text;
}

function eventStoreDbUrl(value: string | undefined): string {
  const text = nonEmpty(value);
  if (text === undefined) {
    throw new EventStoreConfigError(
      'LEDGER_EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://node1:2113,node2:2113,node3:2113?tls=false',
    );
  }
  if (!/^esdb(\+discover)?:\/\/[^/?]+/.test(text)) {
    throw new EventStoreConfigError(
      'EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover:// followed by host:port, e.g. esdb://node1:2113?tls=false',
    );
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
