/**
 * The events the read side consumes: a stored event whose `type`/`data` is one of the ledger's events.
 * The event store hands out untyped `RecordedEvent`s; `toLedgerRecord` narrows them through @hz/ledger's
 * `ledgerEventOf`, the one place where stored records become ledger events (and where upcasters go).
 */
import type { RecordedEvent, StoredEventMetadata } from '@hz/event-store';
import { ledgerEventOf, type LedgerEvent, type LedgerEventType } from '@hz/ledger';

export type LedgerRecord = LedgerEvent & {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly metadata: StoredEventMetadata;
  /** The data as stored when an upcaster changed it (@hz/ledger stored-event.ts). */
  readonly storedData?: unknown;
};

export type LedgerRecordOf<T extends LedgerEventType> = Extract<LedgerRecord, { readonly type: T }>;

/** Thrown when the log holds an event this projector does not understand: skipping it would make every figure wrong. */
export class UnknownLedgerEvent extends Error {
  readonly code = 'PROJECTION.UNKNOWN_EVENT_TYPE';
  constructor(
    readonly eventType: string,
    readonly position: bigint,
  ) {
    super(
      `event type ${eventType} at position ${position} is unknown to this projector version; upgrade it`,
    );
    this.name = 'UnknownLedgerEvent';
  }
}

export function toLedgerRecord(event: RecordedEvent): LedgerRecord {
  const record = ledgerEventOf(event);
  if (record === undefined) throw new UnknownLedgerEvent(event.type, event.position);
  return record;
}
