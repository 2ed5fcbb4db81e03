/**
 * Globally unique payment and recovery references (docs/architecture.md §2): reserved by creating the stream
 * `payment-ref-{ref}` / `recovery-ref-{ref}` with expected revision 'no_stream', holding a hash of the
 * movement's content, in the same transaction as the movement (AppendOptions.alongside, issue 12). The same content again is a replay; other content under the reference is a 409.
 */
import {
  DuplicateEventDifferentContent,
  StreamNotFound,
  WrongExpectedVersion,
  type EventStore,
  type StreamAppend,
} from '@hz/event-store';
import {
  DomainError,
  InvariantViolation,
  referenceStreamId,
  type LedgerCommand,
  type LedgerEvent,
  type ReferenceReserved,
} from '@hz/ledger';
import type { PolicyCatalog } from '@hz/policy';
import { contentHash, toNewEvent } from './event-envelope';

export interface ReferenceClaim {
  readonly kind: 'payment' | 'recovery';
  readonly reference: string;
  readonly streamId: string;
  readonly subjectId: string;
  /** Over the movement's event (type and data): what a replay must repeat exactly. */
  readonly contentHash: string;
}

/** The reference a decided movement needs, or null for events that use none. */
export function referenceClaimOf(
  events: readonly LedgerEvent[],
  streamId: string,
): ReferenceClaim | null {
  // Hashing only the movements: most commands record none, and their events need no content hash here.
  const hashOf = (event: LedgerEvent) => contentHash({ type: event.type, data: event.data });
  const claims = events.flatMap((event): ReferenceClaim[] => {
    switch (event.type) {
      case 'DisbursementRecorded':
        return [
          {
            kind: 'payment',
            reference: event.data.paymentRef,
            streamId,
            subjectId: event.data.claimId,
            contentHash: hashOf(event),
          },
        ];
      case 'AllocationDisbursementRecorded':
        return [
          {
            kind: 'payment',
            reference: event.data.paymentRef,
            streamId,
            subjectId: event.data.planId,
            contentHash: hashOf(event),
          },
        ];
      case 'RecoveryRecorded':
        return [
          {
            kind: 'recovery',
            reference: event.data.recoveryRef,
            streamId,
            subjectId: event.data.claimId,
            contentHash: hashOf(event),
          },
        ];
      default:
        return [];
    }
  });
  if (claims.length > 1)
    throw new InvariantViolation('a command records at most one payment or recovery');
  return claims[0] ?? null;
}

/**
 * The reservation of a decided movement's reference: the stream `payment-ref-{ref}` / `recovery-ref-{ref}`
 * created with its first event, appended alongside the movement in one transaction (issue 12).
 */
export function referenceReservation(
  claim: ReferenceClaim,
  command: LedgerCommand,
  commandHash: string,
  catalog: PolicyCatalog,
): StreamAppend {
  const reserved: ReferenceReserved = {
    type: 'ReferenceReserved',
    data: {
      kind: claim.kind,
      reference: claim.reference,
      contentHash: claim.contentHash,
      streamId: claim.streamId,
      subjectId: claim.subjectId,
    },
  };
  return {
    streamId: referenceStreamId(claim.kind, claim.reference),
    events: [toNewEvent(reserved, `reference:${claim.kind}`, command, commandHash, catalog)],
    expectedRevision: 'no_stream',
  };
}

/** True when the append failed on the reservation's stream rather than on the movement's own. */
export function isAbout(error: unknown, reservation: StreamAppend): boolean {
  return (
    (error instanceof WrongExpectedVersion || error instanceof DuplicateEventDifferentContent) &&
    error.streamId === reservation.streamId
  );
}

/**
 * The reservation's stream was taken: returns when it holds the same content (a retry whose payment never
 * committed, as on EventStoreDB or before issue 12, or the same payment under another idempotency key).
 * Throws IDEMPOTENCY.KEY_REUSED when our event id holds other content, REFERENCE.REUSED otherwise.
 */
export async function confirmReservation(
  store: EventStore,
  claim: ReferenceClaim,
  command: LedgerCommand,
  error: unknown,
): Promise<void> {
  // Our event id exists with other content: this actor used the idempotency key for another command.
  if (error instanceof DuplicateEventDifferentContent) {
    throw new DomainError(
      'IDEMPOTENCY.KEY_REUSED',
      'the idempotency key was already used for another command',
      { idempotencyKey: command.metadata.idempotencyKey },
    );
  }
  const existing = await readReservation(store, referenceStreamId(claim.kind, claim.reference));
  if (existing !== claim.contentHash) {
    throw new DomainError(
      'REFERENCE.REUSED',
      `${claim.kind} reference ${claim.reference} is already used for other content`,
      {
        kind: claim.kind,
        reference: claim.reference,
      },
    );
  }
}

async function readReservation(store: EventStore, streamId: string): Promise<string> {
  try {
    const [first] = await store.readStream(streamId, { maxCount: 1 });
    const hash = first?.data['contentHash'];
    if (first?.type !== 'ReferenceReserved' || typeof hash !== 'string')
      throw new InvariantViolation(`reference stream ${streamId} holds no reservation`);
    return hash;
  } catch (error) {
    // The append said the stream exists; a missing stream now means the store lost it.
    if (error instanceof StreamNotFound)
      throw new InvariantViolation(`reference stream ${streamId} vanished`);
    throw error;
  }
}
