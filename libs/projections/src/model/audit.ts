/** The audit trail of a claim: every event of it, with the chain hashes an auditor checks. */
import type { LedgerRecord } from './ledger-record';
import type { AuditEntry } from './rows';

export function auditEntryOf(claimId: string, event: LedgerRecord): AuditEntry {
  const { metadata } = event;
  return {
    claimId,
    position: event.position,
    revision: event.revision,
    streamId: event.streamId,
    eventId: event.id,
    type: event.type,
    actor: metadata.actor,
    role: metadata.role,
    occurredAt: metadata.occurredAt,
    recordedAt: metadata.recordedAt,
    hash: metadata.hash,
    prevHash: metadata.prevHash,
    dataJson: JSON.stringify(event.data),
  };
}
