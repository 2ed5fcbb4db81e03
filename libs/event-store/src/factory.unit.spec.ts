/** Store selection from the environment: defaults, and a clear refusal for every malformed setting. */
import { resolve } from 'node:path';
import {
  auxiliaryStoreConfig,
  describeEventStore,
  EventStoreConfigError,
  eventStoreConfigFromEnv,
} from './factory';

describe('eventStoreConfigFromEnv', () => {
  it('defaults to SQLite in ./data/ledger.db', () => {
    expect(eventStoreConfigFromEnv({})).toEqual({
      kind: 'sqlite',
      file: resolve('data', 'ledger.db'),
    });
    expect(eventStoreConfigFromEnv({ LEDGER_EVENT_STORE: '', LEDGER_DATA_DIR: ' ' })).toEqual({
      kind: 'sqlite',
      file: resolve('data', 'ledger.db'),
    });
  });

  it('puts the SQLite file in LEDGER_DATA_DIR', () => {
    expect(
      eventStoreConfigFromEnv({ LEDGER_EVENT_STORE: 'sqlite', LEDGER_DATA_DIR: '/var/lib/ledger' }),
    ).toEqual({ kind: 'sqlite', file: '/var/lib/ledger/ledger.db' });
  });

  it('maps LEDGER_GROUP_COMMIT and LEDGER_WRITE_QUEUE_LIMIT onto both stores (issue 12)', () => {
    const url = 'postgres://ledger@db:5432/ledger';
    expect(
      eventStoreConfigFromEnv({
        LEDGER_DATA_DIR: '/var/lib/ledger',
        LEDGER_GROUP_COMMIT: 'off',
        LEDGER_WRITE_QUEUE_LIMIT: '64',
      }),
    ).toEqual({
      kind: 'sqlite',
      file: '/var/lib/ledger/ledger.db',
      groupCommit: false,
      writeQueueLimit: 64,
    });
    expect(
      eventStoreConfigFromEnv({
        LEDGER_EVENT_STORE: 'postgres',
        DATABASE_URL: url,
        LEDGER_GROUP_COMMIT: 'off',
      }),
    ).toEqual({ kind: 'postgres', connectionString: url, groupCommit: false });
    expect(
      eventStoreConfigFromEnv({
        LEDGER_DATA_DIR: '/var/lib/ledger',
        LEDGER_GROUP_COMMIT: 'thread',
      }),
    ).toEqual({ kind: 'sqlite', file: '/var/lib/ledger/ledger.db', writerThread: true });
    expect(
      eventStoreConfigFromEnv({
        LEDGER_EVENT_STORE: 'postgres',
        DATABASE_URL: url,
        LEDGER_GROUP_COMMIT: 'thread',
      }),
    ).toEqual({ kind: 'postgres', connectionString: url });
    expect(() => eventStoreConfigFromEnv({ LEDGER_GROUP_COMMIT: 'maybe' })).toThrow(
      /LEDGER_GROUP_COMMIT/,
    );
    expect(() => eventStoreConfigFromEnv({ LEDGER_WRITE_QUEUE_LIMIT: '0' })).toThrow(
      /LEDGER_WRITE_QUEUE_LIMIT/,
    );
  });

  it('selects PostgreSQL with DATABASE_URL', () => {
    const url = 'postgres://ledger:secret@db:5432/ledger';
    expect(eventStoreConfigFromEnv({ LEDGER_EVENT_STORE: 'postgres', DATABASE_URL: url })).toEqual({
      kind: 'postgres',
      connectionString: url,
    });
    expect(
      eventStoreConfigFromEnv({
        LEDGER_EVENT_STORE: 'postgres',
        DATABASE_URL: 'postgresql:///ledger?host=/run/postgresql',
      }),
    ).toMatchObject({ kind: 'postgres' });
  });

  it('selects EventStoreDB with EVENTSTORE_CONNECTION_STRING', () => {
    const url = 'esdb://node1:2113,node2:2113,node3:2113?tls=false';
    expect(
      eventStoreConfigFromEnv({
        LEDGER_EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: url,
      }),
    ).toEqual({ kind: 'eventstoredb', connectionString: url });
    expect(
      eventStoreConfigFromEnv({
        LEDGER_EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: 'esdb+discover://cluster:2113',
      }),
    ).toMatchObject({ kind: 'eventstoredb' });
  });

  it.each([
    [
      { LEDGER_EVENT_STORE: 'mysql' },
      /LEDGER_EVENT_STORE must be one of sqlite, postgres, eventstoredb/,
    ],
    [{ LEDGER_EVENT_STORE: 'postgres' }, /LEDGER_EVENT_STORE=postgres needs DATABASE_URL/],
    [
      { LEDGER_EVENT_STORE: 'postgres', DATABASE_URL: 'mysql://db/ledger' },
      /DATABASE_URL must be a postgres:\/\//,
    ],
    [{ LEDGER_EVENT_STORE: 'eventstoredb' }, /needs EVENTSTORE_CONNECTION_STRING/],
    [
      { LEDGER_EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'http://node1:2113' },
      /must start with esdb:\/\//,
    ],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => eventStoreConfigFromEnv(env)).toThrow(EventStoreConfigError);
    expect(() => eventStoreConfigFromEnv(env)).toThrow(message);
  });

  it('never echoes a connection string, which may carry a password', () => {
    expect(() =>
      eventStoreConfigFromEnv({
        LEDGER_EVENT_STORE: 'postgres',
        DATABASE_URL: 'pg://user:hunter2@db/ledger',
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });
});

describe("auxiliaryStoreConfig (a second log on the events' backend)", () => {
  it('puts <name>.db beside the embedded file', () => {
    expect(
      auxiliaryStoreConfig({ kind: 'sqlite', file: '/var/lib/ledger/ledger.db' }, 'idempotency'),
    ).toMatchObject({ kind: 'sqlite', file: '/var/lib/ledger/idempotency.db' });
  });

  it("uses a schema of its own in the events' PostgreSQL database", () => {
    const url = 'postgres://ledger@db:5432/ledger';
    expect(
      auxiliaryStoreConfig({ kind: 'postgres', connectionString: url }, 'idempotency'),
    ).toEqual({ kind: 'postgres', connectionString: url, schema: 'idempotency' });
  });

  it('goes to PostgreSQL beside EventStoreDB, whose $all the projector and the auditor read', () => {
    const events = {
      kind: 'eventstoredb',
      connectionString: 'esdb://node1:2113?tls=false',
    } as const;
    const url = 'postgres://ledger@db:5432/ledger';
    expect(auxiliaryStoreConfig(events, 'idempotency', { databaseUrl: url })).toEqual({
      kind: 'postgres',
      connectionString: url,
      schema: 'idempotency',
    });
    expect(() => auxiliaryStoreConfig(events, 'idempotency')).toThrow(
      /eventstoredb keeps its idempotency records in PostgreSQL: set DATABASE_URL/,
    );
  });

  it('refuses a name that is no identifier', () => {
    expect(() => auxiliaryStoreConfig({ kind: 'sqlite', file: '/data/ledger.db' }, '../x')).toThrow(
      RangeError,
    );
  });
});

describe('describeEventStore', () => {
  it('names the backend and where it lives, never a password', () => {
    expect(describeEventStore({ kind: 'sqlite', file: '/data/ledger.db' })).toBe(
      'sqlite /data/ledger.db',
    );
    expect(
      describeEventStore({
        kind: 'postgres',
        connectionString: 'postgres://ledger:hunter2@db:5432/ledger',
      }),
    ).toBe('postgres db:5432/ledger schema event_store');
    expect(
      describeEventStore({
        kind: 'postgres',
        connectionString: 'postgres://db/ledger',
        schema: 'idempotency',
      }),
    ).toBe('postgres db/ledger schema idempotency');
    expect(
      describeEventStore({
        kind: 'eventstoredb',
        connectionString: 'esdb://admin:changeit@node1:2113,node2:2113?tls=false',
      }),
    ).toBe('eventstoredb node1:2113,node2:2113');
  });
});
