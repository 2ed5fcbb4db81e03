/** createEventStore opens each kind of store from its config. */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbStore } from './eventstoredb/eventstoredb-event-store';
import { createEventStore } from './factory';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { createThrowawayDatabase } from './postgres/throwaway-database';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { FixedClock, testEvent } from './testing';

describe('createEventStore', () => {
  it('opens SQLite, creating the data directory', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ledger-factory-'));
    try {
      const file = join(directory, 'nested', 'data', 'ledger.db');
      const store = await createEventStore({ kind: 'sqlite', file, clock: new FixedClock() });
      expect(store).toBeInstanceOf(SqliteEventStore);
      await store.appendToStream('applicant-1', [testEvent('sqlite')], {
        expectedRevision: 'no_stream',
      });
      await store.close();
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('opens PostgreSQL', async () => {
    const database = await createThrowawayDatabase('ledger_factory');
    try {
      const store = await createEventStore({
        kind: 'postgres',
        connectionString: database.connectionString,
        clock: new FixedClock(),
      });
      expect(store).toBeInstanceOf(PostgresEventStore);
      const result = await store.appendToStream('applicant-1', [testEvent('postgres')], {
        expectedRevision: 'no_stream',
      });
      expect(result).toEqual({ nextRevision: 0n, position: 1n });
      await store.close();
    } finally {
      await database.drop();
    }
  });

  it('builds an EventStoreDB store without dialling until first use', async () => {
    const store = await createEventStore({
      kind: 'eventstoredb',
      connectionString: 'esdb://127.0.0.1:1?tls=false',
    });
    expect(store).toBeInstanceOf(EventStoreDbStore);
    await store.close();
  });
});
