/**
 * A row of the SQLite events table as the partition worker reads it, turned into a ledger record: the event
 * store's own mapping (`recordedEventOf`), imported through its light entry point `@hz/event-store/rows`
 * so that the worker thread does not load the event store's barrel, which pulls in the PostgreSQL and
 * EventStoreDB adapters and their clients (about 0.4 CPU-s per worker thread; issue 13, docs/benchmarks.md
 * "Replay and rebuild, CPU per event"). Until session 7 this file held a copy of that mapping.
 */
import { recordedEventOf, type EventRowOf } from '@hz/event-store/rows';
import { toLedgerRecord, type LedgerRecord } from '../model/ledger-record';

export function recordOfRow(row: EventRowOf<bigint>): LedgerRecord {
  return toLedgerRecord(recordedEventOf(row));
}
