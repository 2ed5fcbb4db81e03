/**
 * A row of the SQLite events table as the partition worker reads it, turned into a ledger record. The
 * same mapping as @hz/event-store's `recordedEventOf` (event-rows.ts; event-row.unit.spec.ts holds them
 * equal), written here so that the worker thread does not load the event store's barrel: it pulls in the
 * PostgreSQL and EventStoreDB adapters and their clients, about 0.4 CPU-s per worker thread on the bench
 * machine, a tenth of the whole 50k rebuild's CPU with 2 workers (issue 13, docs/benchmarks.md "Replay and
 * rebuild, CPU per event").
 */
import type { EventRowOf, JsonObject, RecordedEvent, StoredEventMetadata } from '@hz/event-store';
import { toLedgerRecord, type LedgerRecord } from '../model/ledger-record';

export function recordOfRow(row: EventRowOf<bigint>): LedgerRecord {
  const event: RecordedEvent = {
    id: row.event_id,
    type: row.type,
    data: objectOf(row.data, row.position),
    metadata: objectOf(row.metadata, row.position) as unknown as StoredEventMetadata,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
  };
  return toLedgerRecord(event);
}

function objectOf(text: string, position: bigint): JsonObject {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`event at position ${position} holds a non-object JSON value`);
  return value as JsonObject;
}
