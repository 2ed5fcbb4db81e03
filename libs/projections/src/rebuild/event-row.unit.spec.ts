import fc from 'fast-check';
import { recordedEventOf, type EventRowOf } from '@hz/event-store';
import { LEDGER_EVENT_TYPES } from '@hz/ledger';
import { toLedgerRecord, UnknownLedgerEvent } from '../model/ledger-record';
import { recordOfRow } from './event-row';

describe("the partition worker's event rows (parallel rebuild, issue 13)", () => {
  const json = fc.dictionary(
    fc.string({ maxLength: 8 }),
    fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean()),
  );
  const row = fc.record({
    position: fc.bigInt({ min: 1n, max: 2n ** 53n }),
    stream_id: fc.string({ maxLength: 20 }),
    revision: fc.bigInt({ min: 0n, max: 2n ** 40n }),
    event_id: fc.uuid(),
    type: fc.constantFrom(...LEDGER_EVENT_TYPES),
    data: json.map((value) => JSON.stringify(value)),
    metadata: json.map((value) => JSON.stringify(value)),
  });

  it("reads a row as the event store's barrel (recordedEventOf + toLedgerRecord) does", () => {
    fc.assert(
      fc.property(row, (stored: EventRowOf<bigint>) => {
        expect(recordOfRow(stored)).toStrictEqual(toLedgerRecord(recordedEventOf(stored)));
      }),
      { numRuns: 300 },
    );
  });

  it('upcasts as toLedgerRecord does (a v1 payment keeps its stored data)', () => {
    const stored: EventRowOf<bigint> = {
      position: 7n,
      stream_id: 'applicant-X',
      revision: 3n,
      event_id: 'e-7',
      type: 'DisbursementRecorded',
      data: '{"amount":"1.00","claimId":"c-1","funder":"city"}',
      metadata: '{"recordedAt":"2024-01-01T00:00:00.000Z"}',
    };
    const record = recordOfRow(stored);
    expect(record).toStrictEqual(toLedgerRecord(recordedEventOf(stored)));
    expect(record.storedData).toStrictEqual({ amount: '1.00', claimId: 'c-1', funder: 'city' });
  });

  it('refuses what the event store refuses: a non-object value, an unknown type', () => {
    const base = {
      position: 9n,
      stream_id: 's',
      revision: 0n,
      event_id: 'e-9',
      type: 'ClaimWithdrawn',
      data: '{}',
      metadata: '{}',
    };
    expect(() => recordOfRow({ ...base, data: '[1]' })).toThrow(/position 9 .*non-object/);
    expect(() => recordOfRow({ ...base, metadata: 'null' })).toThrow(/non-object/);
    expect(() => recordOfRow({ ...base, type: 'NoSuchEvent' })).toThrow(UnknownLedgerEvent);
  });

  it('does not load the event store in the worker thread (its adapters cost each worker CPU)', () => {
    jest.isolateModules(() => {
      jest.doMock('@hz/event-store', () => {
        throw new Error('the partition worker loaded @hz/event-store');
      });
      expect(() => jest.requireActual('./rebuild-worker')).not.toThrow();
    });
  });

  it('maps rows with the light entry point, the same function the barrel exports (no copy)', () => {
    const rows = jest.requireActual<typeof import('@hz/event-store/rows')>('@hz/event-store/rows');
    expect(rows.recordedEventOf).toBe(recordedEventOf);
  });
});
