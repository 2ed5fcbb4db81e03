/**
 * The one place where a stored record `{ type, data, metadata, ... }` becomes a LedgerEvent
 * (docs/architecture.md §2, "Reading stored events"). The projections (toLedgerRecord) and the
 * application layer (toLedgerEvent) both narrow through `ledgerEventOf`; each decides what an unknown
 * type means for it (the projector stops, the write side reports corruption).
 *
 * Upcasters go here: when an event's schema changes, the new version gets a new shape in events.ts and an
 * entry in UPCASTERS that turns the stored (older) data into it. Stored events are never rewritten.
 */
import {
  LEDGER_EVENT_TYPES,
  type DisbursementRecorded,
  type DisbursementRecordedV1Data,
  type LedgerEvent,
  type LedgerEventType,
} from './events';

/** What any event store hands out, as far as the ledger cares: the rest of the envelope passes through. */
export interface StoredRecord {
  readonly type: string;
  readonly data: unknown;
}

/**
 * A stored record narrowed: the ledger event, with the rest of the store's envelope as it was. When an
 * upcaster changed the data, `storedData` keeps the data as stored (the bytes the event hash covers, which
 * the audit trail shows); otherwise it is absent and `data` is the stored data itself.
 */
export type NarrowedRecord<R extends StoredRecord> = LedgerEvent &
  Omit<R, 'type' | 'data'> & { readonly storedData?: unknown };

export type Upcasters = Readonly<Partial<Record<LedgerEventType, (data: unknown) => unknown>>>;

/**
 * DisbursementRecorded v1 → v2: a payment stored before v2 names no channel; it is read as 'unrecorded'
 * (nothing is guessed). A v2 event (it has a channel) passes unchanged, so mixed logs read alike.
 */
export function upcastDisbursementRecorded(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || 'channel' in data) return data;
  const v2: DisbursementRecorded['data'] = {
    ...(data as DisbursementRecordedV1Data),
    channel: 'unrecorded',
  };
  return v2;
}

/**
 * Per event type, the function from stored data to the current shape (docs/architecture.md §2, "Event
 * versions and upcasting"). Optional fields added later, such as `submittedOn`, need no upcaster.
 */
export const UPCASTERS: Upcasters = {
  DisbursementRecorded: upcastDisbursementRecorded,
};

const KNOWN_TYPES: ReadonlySet<string> = new Set<string>(LEDGER_EVENT_TYPES);

export function isLedgerEventType(type: string): type is LedgerEventType {
  return KNOWN_TYPES.has(type);
}

/**
 * The record as a ledger event, upcast to the current shape; undefined when this version does not know
 * the type. Without an upcaster the record itself is returned (no copy: the projector reads millions).
 */
export function ledgerEventOf<R extends StoredRecord>(
  record: R,
  upcasters: Upcasters = UPCASTERS,
): NarrowedRecord<R> | undefined {
  if (!isLedgerEventType(record.type)) return undefined;
  const upcast = upcasters[record.type];
  if (upcast === undefined) return record as unknown as NarrowedRecord<R>;
  const data = upcast(record.data);
  const narrowed = data === record.data ? record : { ...record, data, storedData: record.data };
  return narrowed as unknown as NarrowedRecord<R>;
}
