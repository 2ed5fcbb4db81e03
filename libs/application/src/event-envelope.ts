/**
 * Between the pure domain events ({type, data}) and the store's envelopes ({id, type, data, metadata}):
 * ids from the idempotency key, business time, and the catalog version on every decision.
 *
 * Identities are deterministic: event ids derive from the command's idempotency key, so a retried command
 * produces the same ids and the store recognises the retry; content hashes tell a replay from a reuse.
 */
import { hash } from 'node:crypto';
import { canonicalHash, canonicalJson } from '@hz/kernel';
import type { EventMetadataInput, JsonObject, NewEvent, RecordedEvent } from '@hz/event-store';
import {
  InvariantViolation,
  ledgerEventOf,
  type LedgerCommand,
  type LedgerEvent,
} from '@hz/ledger';
import type { PolicyCatalog } from '@hz/policy';

/** Events that record a decision made under a catalog version (docs/architecture.md §2). */
const DECISION_TYPES: ReadonlySet<LedgerEvent['type']> = new Set<LedgerEvent['type']>([
  'ClaimSubmitted',
  'ClaimApproved',
  'ClaimRejected',
  'ApprovalCountersigned',
  'ApprovalCountersignRejected',
  'ClaimRevoked',
  'AllocationPlanDecided',
]);

/** Business time: when it happened in the world (a payment's date), else when it was decided. */
export function occurredAtOf(event: LedgerEvent, now: string): string {
  switch (event.type) {
    case 'DisbursementRecorded':
    case 'AllocationDisbursementRecorded':
      return event.data.paidAt;
    case 'RecoveryRecorded':
      return event.data.recoveredAt;
    case 'AllocationPlanDecided':
      return event.data.decidedAt;
    case 'ApplicantRelocated':
      return event.data.effectiveDate;
    default:
      return now;
  }
}

function catalogVersionOf(
  event: LedgerEvent,
  catalog: PolicyCatalog,
): { policyId: string; catalogHash: string } | undefined {
  if (!DECISION_TYPES.has(event.type)) return undefined;
  // Submission, approval and plan carry the version they were assessed under; the others use the running catalog.
  if ('policyId' in event.data && 'catalogHash' in event.data)
    return { policyId: event.data.policyId, catalogHash: event.data.catalogHash };
  return { policyId: catalog.id, catalogHash: catalog.hash };
}

export function metadataFor(
  command: LedgerCommand,
  event: LedgerEvent,
  commandHash: string,
  catalog: PolicyCatalog,
): EventMetadataInput {
  const { actor, role, correlationId, causationId, idempotencyKey, now } = command.metadata;
  return {
    actor,
    role,
    correlationId,
    causationId,
    idempotencyKey,
    occurredAt: occurredAtOf(event, now),
    commandType: command.type,
    commandHash,
    ...(catalogVersionOf(event, catalog) ?? {}),
  };
}

export function toNewEvent(
  event: LedgerEvent,
  slot: number | string,
  command: LedgerCommand,
  commandHash: string,
  catalog: PolicyCatalog,
  /** The event's id when the caller has it already (LedgerService hashes slot 0's to detect a replay). */
  id: string = eventIdFor(command.metadata.actor, command.metadata.idempotencyKey, slot),
): NewEvent {
  return {
    id,
    type: event.type,
    // Domain events are readonly JSON literals; the port's JsonObject is the same data, mutably typed.
    data: event.data as unknown as JsonObject,
    metadata: metadataFor(command, event, commandHash, catalog),
  };
}

/**
 * A stored event back as a domain event, through @hz/ledger's `ledgerEventOf` (libs/ledger/src/
 * stored-event.ts, where upcasters go). An unknown type in a ledger stream is corruption, not something to skip.
 */
export function toLedgerEvent(
  recorded: RecordedEvent,
): LedgerEvent & { readonly metadata: RecordedEvent['metadata'] } {
  const event = ledgerEventOf(recorded);
  if (event === undefined) {
    throw new InvariantViolation(`unknown event type ${recorded.type} in ${recorded.streamId}`, {
      streamId: recorded.streamId,
      type: recorded.type,
    });
  }
  const { type, data, metadata } = event;
  return { type, data, metadata } as LedgerEvent & { readonly metadata: RecordedEvent['metadata'] };
}

// ---- Identities ----

/** SHA-256 of the canonical JSON (@hz/kernel, RFC 8785 style) of a value: equal content, equal hash. */
export const contentHash = canonicalHash;

/**
 * A UUID in the manner of version 5 (name-based), but over SHA-256 instead of SHA-1. The name is scoped
 * by the actor, so two clients that happen to pick the same key never collide, while one client's retry
 * always does. `slot` is the event's index in the command's output, or a label for side streams.
 */
export function eventIdFor(actor: string, idempotencyKey: string, slot: number | string): string {
  // Node's one-shot hash (UTF-8, as createHash().update(text, 'utf8')), as @hz/kernel's sha256Hex: no Hash
  // object per event id (issue 12, the CPU per command; docs/benchmarks.md).
  const digest = hash(
    'sha256',
    canonicalJson(['hz-ledger/event/v1', actor, idempotencyKey, slot]),
    'buffer',
  );
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5 (name-based)
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
