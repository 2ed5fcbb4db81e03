/** The audit trail of a claim: every event of it, with the chain hashes an auditor checks. */
import type { LedgerRecord } from './ledger-record';
import { claimIdOf } from './claim-summary';
import { defineReadModel } from './read-model';
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
    // The data as stored, which the row's hash covers; an upcast event keeps it (stored-event.ts).
    dataJson: JSON.stringify(event.storedData ?? event.data),
  };
}

/**
 * The audit trail: one row per claim event, keyed by the log position (each event belongs to at most one
 * claim), so rows are appended at the end of the table and only the (claim_id, position) index takes
 * random inserts. Read per claim (claimHistory) or as the whole trail in log order (auditTrail).
 */
export const AUDIT_MODEL = defineReadModel<AuditEntry>()({
  name: 'audit',
  write: 'append',
  columns:
    'position bigint key, claim_id text, revision bigint, stream_id text, event_id text, type text, actor text, ' +
    'role text, occurred_at text, recorded_at text, hash text, prev_hash text, data_json text',
  indexes: [
    { name: 'claim', columns: ['claim_id', 'position'] },
    // The reporting views select disbursements and recoveries by event type (docs/reporting.md).
    { name: 'type', columns: ['type', 'position'], reportingOnly: true },
  ],
  keyOf: (entry) => String(entry.position),
  canHandle: (event) => claimIdOf(event) !== undefined,
  evolve: ({ claimId, event }) => (claimId === undefined ? [] : [auditEntryOf(claimId, event)]),
});
