/** Recognising a command that was already executed, from what its first execution left in the stream. */
import type { RecordedEvent } from '@hz/event-store';
import { DomainError, type LedgerCommand } from '@hz/ledger';
import { eventIdFor } from './event-envelope';

/**
 * The events a previous execution of this command appended (same actor and idempotency key), or null.
 * The same key with another command's content is refused: a key names one command, forever.
 */
export function findCommandReplay(
  recorded: readonly RecordedEvent[],
  command: LedgerCommand,
  commandHash: string,
): RecordedEvent[] | null {
  const { actor, idempotencyKey } = command.metadata;
  const firstId = eventIdFor(actor, idempotencyKey, 0);
  const start = recorded.findIndex((event) => event.id === firstId);
  if (start < 0) return null;
  const replayed: RecordedEvent[] = [];
  // A command's events are appended together, so they sit next to each other with slots 0, 1, 2, ...
  for (let slot = 0; start + slot < recorded.length; slot += 1) {
    const event = recorded[start + slot];
    if (event === undefined || event.id !== eventIdFor(actor, idempotencyKey, slot)) break;
    replayed.push(event);
  }
  const first = replayed[0];
  if (first === undefined || first.metadata['commandHash'] !== commandHash) {
    throw new DomainError(
      'IDEMPOTENCY.KEY_REUSED',
      'the idempotency key was already used for another command',
      { idempotencyKey },
    );
  }
  return replayed;
}

/** The movement a payment or recovery command names, when the decider found it already recorded. */
export function findRecordedMovement(
  recorded: readonly RecordedEvent[],
  command: LedgerCommand,
): RecordedEvent | undefined {
  const matches = (type: string, field: string, value: string) => (event: RecordedEvent) =>
    event.type === type && event.data[field] === value;
  switch (command.type) {
    case 'RecordDisbursement':
      return recorded.find(matches('DisbursementRecorded', 'paymentRef', command.data.paymentRef));
    case 'RecordRecovery':
      return recorded.find(matches('RecoveryRecorded', 'recoveryRef', command.data.recoveryRef));
    case 'RecordAllocationDisbursement':
      return recorded.find(
        matches('AllocationDisbursementRecorded', 'paymentRef', command.data.paymentRef),
      );
    default:
      return undefined;
  }
}
