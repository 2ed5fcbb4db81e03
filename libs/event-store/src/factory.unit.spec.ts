/** Store selection from the environment: defaults, and a clear refusal for every malformed setting. */
import { resolve } from 'node:path';
import { EventStoreConfigError, eventStoreConfigFromEnv } from './factory';

describe('eventStoreConfigFromEnv', () => {
  it('defaults to SQLite in ./data/ledger.db', () => {
    expect(eventStoreConfigFromEnv({})).toEqual({ kind: 'sqlite', file: resolve('data', 'ledger.db') });
    expect(eventStoreConfigFromEnv({ LEDGER_EVENT_STORE: '', LEDGER_DATA_DIR: ' ' })).toEqual({ kind: 'sqlite', file: resolve('data', 'ledger.db') });
  });

  it('puts the SQLite file in LEDGER_DATA_DIR', () => {
    expect(eventStoreConfigFromEnv({ LEDGER_EVENT_STORE: 'sqlite', LEDGER_DATA_DIR: '/var/lib/ledger' })).toEqual({ kind: 'sqlite', file: '/var/lib/ledger/ledger.db' });
  });

  it('selects PostgreSQL with DATABASE_URL', () => {
    const url = 'postgres://ledger:secret@db:5432/ledger';
    expect(eventStoreConfigFromEnv({ LEDGER_EVENT_STORE: 'postgres', DATABASE_URL: url })).toEqual({ kind: 'postgres', connectionString: url });
    expect(eventStoreConfigFromEnv({ LEDGER_EVENT_STORE: 'postgres', DATABASE_URL: 'postgresql:///ledger?host=/run/postgresql' })).toMatchObject({ kind: 'postgres' });
  });

  it('selects EventStoreDB with EVENTSTORE_CONNECTION_STRING', () => {
    const url = 'esdb://node1:2113,node2:2113,node3:2113?tls=false';
    expect(eventStoreConfigFromEnv({ LEDGER_EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: url })).toEqual({ kind: 'eventstoredb', connectionString: url });
    expect(eventStoreConfigFromEnv({ LEDGER_EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb+discover://cluster:2113' })).toMatchObject({ kind: 'eventstoredb' });
  });

  it.each([
    [{ LEDGER_EVENT_STORE: 'mysql' }, /LEDGER_EVENT_STORE must be one of sqlite, postgres, eventstoredb/],
    [{ LEDGER_EVENT_STORE: 'postgres' }, /LEDGER_EVENT_STORE=postgres needs DATABASE_URL/],
    [{ LEDGER_EVENT_STORE: 'postgres', DATABASE_URL: 'mysql://db/ledger' }, /DATABASE_URL must be a postgres:\/\//],
    [{ LEDGER_EVENT_STORE: 'eventstoredb' }, /needs EVENTSTORE_CONNECTION_STRING/],
    [{ LEDGER_EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'http://node1:2113' }, /must start with esdb:\/\//],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => eventStoreConfigFromEnv(env)).toThrow(EventStoreConfigError);
    expect(() => eventStoreConfigFromEnv(env)).toThrow(message);
  });

  it('never echoes a connection string, which may carry a password', () => {
    expect(() => eventStoreConfigFromEnv({ LEDGER_EVENT_STORE: 'postgres', DATABASE_URL: 'pg://user:hunter2@db/ledger' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
