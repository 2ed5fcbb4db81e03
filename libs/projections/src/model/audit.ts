/** The audit trail of a claim: every event of it, with the chain hashes an auditor checks. */
import type { LedgerRecord } from './ledger-record';
import { claimIdOf } from './claim-summary';
import { columns, defineReadModel } from './read-model';
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

/**
 * The audit trail: one row per claim event, keyed by the log position (each event belongs to at most one
 * claim), so rows are appended at the end of the table and only the (claim_id, position) index takes
 * random inserts. Read per claim (claimHistory) or as the whole trail in log order (auditTrail).
 */
export const AUDIT_MODEL = defineReadModel<AuditEntry>()({
  name: 'audit',
  table: 'audit',
  key: ['position'],
  write: 'append',
  clustered: false,
  columns: columns<AuditEntry>(
    ['position', 'bigint', (e) => e.position],
    ['claim_id', 'text', (e) => e.claimId],
    ['revision', 'bigint', (e) => e.revision],
    ['stream_id', 'text', (e) => e.streamId],
    ['event_id', 'text', (e) => e.eventId],
    ['type', 'text', (e) => e.type],
    ['actor', 'text', (e) => e.actor],
    ['role', 'text', (e) => e.role],
    ['occurred_at', 'text', (e) => e.occurredAt],
    ['recorded_at', 'text', (e) => e.recordedAt],
    ['hash', 'text', (e) => e.hash],
    ['prev_hash', 'text', (e) => e.prevHash],
    ['data_json', 'text', (e) => e.dataJson],
  ),
  indexes: [
    { name: 'claim', columns: ['claim_id', 'position'] },
    // The reporting views select disbursements and recoveries by event type (docs/reporting.md).
    { name: 'type', columns: ['type', 'position'], reportingOnly: true },
  ],
  keyOf: (entry) => String(entry.position),
  fromRow: (r) => ({
    claimId: r.text('claim_id'),
    position: r.big('position'),
    revision: r.big('revision'),
    streamId: r.text('stream_id'),
    eventId: r.text('event_id'),
    type: r.text('type'),
    actor: r.text('actor'),
    role: r.text('role'),
    occurredAt: r.text('occurred_at'),
    recordedAt: r.text('recorded_at'),
    hash: r.text('hash'),
    prevHash: r.text('prev_hash'),
    dataJson: r.text('data_json'),
  }),
  canHandle: (event) => claimIdOf(event) !== undefined,
  evolve: ({ claimId, event }) => (claimId === undefined ? [] : [auditEntryOf(claimId, event)]),
});
