/**
 * The import of the earlier layout's idempotency records (legacy-records.ts) into a real (in-memory
 * SQLite) store's records. The source is the read-only view the app opens over idempotency.db or schema
 * idempotency (apps/ledger-api/src/stores.ts); the whole path, on both stores, is in
 * test/e2e/idempotency-upgrade.e2e.spec.ts.
 */
import { openSqliteEventStore, type EventStore, type JsonObject } from '@hz/event-store';
import { idempotencyRecordKey, IdempotencyService } from './idempotency.service';
import {
  importLegacyIdempotencyRecords,
  LEGACY_IMPORT_MARKER_KEY,
  type LegacyIdempotencySource,
  type LegacyResponseRow,
} from './legacy-records';

const answered = (actor: string, key: string, fingerprint: string): LegacyResponseRow => ({
  streamId: idempotencyRecordKey(actor, key),
  data: { fingerprint, status: 201, body: { paid: '10.00', key } },
});

function sourceOf(rows: LegacyResponseRow[]): LegacyIdempotencySource & { reads: number } {
  const source = {
    location: '/srv/ledger/data/idempotency.db',
    reads: 0,
    responses: () => {
      source.reads += 1;
      return Promise.resolve(rows);
    },
    close: () => Promise.resolve(),
  };
  return source;
}

describe('importing the idempotency records of the earlier layout', () => {
  let store: EventStore;
  beforeEach(async () => {
    store = await openSqliteEventStore({ file: ':memory:' });
  });
  afterEach(() => store.close());

  const records = () => {
    if (store.records === undefined) throw new Error('the SQLite store keeps records');
    return store.records;
  };

  it('copies each recorded answer under its key, and the service replays it without executing', async () => {
    const source = sourceOf([answered('fay', 'k-1', 'F1'), answered('rita', 'k-2', 'F2')]);
    expect(await importLegacyIdempotencyRecords(source, records())).toEqual({
      location: '/srv/ledger/data/idempotency.db',
      ran: true,
      imported: 2,
      present: 0,
    });
    expect(await records().read(idempotencyRecordKey('rita', 'k-2'))).toEqual({
      fingerprint: 'F2',
      status: 201,
      body: { paid: '10.00', key: 'k-2' },
    });
    let executions = 0;
    const outcome = await new IdempotencyService(store).run(
      {
        actor: 'fay',
        role: 'finance',
        key: 'k-1',
        fingerprint: 'F1',
        correlationId: 'c',
        causationId: 'c',
        now: '2024-09-01T00:00:00.000Z',
      },
      () => {
        executions += 1;
        return Promise.resolve({ status: 500, body: {} });
      },
    );
    expect(outcome).toEqual({ status: 201, body: { paid: '10.00', key: 'k-1' }, replayed: true });
    expect(executions).toBe(0);
    // Records are not events: the log is untouched.
    expect(await store.readAll()).toEqual([]);
  });

  it('runs once: a later start finds the marker and does not read the old store again', async () => {
    const source = sourceOf([answered('fay', 'k-1', 'F1')]);
    await importLegacyIdempotencyRecords(source, records());
    expect(await records().read(LEGACY_IMPORT_MARKER_KEY)).toEqual({
      location: '/srv/ledger/data/idempotency.db',
      records: 1,
    });
    expect(await importLegacyIdempotencyRecords(source, records())).toMatchObject({
      ran: false,
      imported: 0,
    });
    expect(source.reads).toBe(1);
  });

  it('given an import interrupted before its marker, when it runs again, then it leaves the records already there', async () => {
    const first = answered('fay', 'k-1', 'F1');
    await records().write({ key: first.streamId, value: first.data as JsonObject });
    const source = sourceOf([first, answered('fay', 'k-2', 'F2')]);
    expect(await importLegacyIdempotencyRecords(source, records())).toMatchObject({
      ran: true,
      imported: 1,
      present: 1,
    });
  });

  it('refuses a row that is not a recorded response of the earlier layout, writing no marker', async () => {
    const source = sourceOf([{ streamId: 'applicant-1', data: { fingerprint: 'F', status: 201 } }]);
    await expect(importLegacyIdempotencyRecords(source, records())).rejects.toThrow(
      'idempotency stream applicant-1: not a recorded response of the layout',
    );
    expect(await records().read(LEGACY_IMPORT_MARKER_KEY)).toBeUndefined();
  });
});
