/** What the read endpoints return: rows turned into JSON with money as 2-digit strings and positions as strings. */
import {
  remainingOf,
  type AwardRow,
  type CapRow,
  type Checkpoint,
  type ClaimSummary,
} from '@hz/projections';

export interface CheckpointView {
  readonly position: string;
  /** Ledger time of the last projected event, or null before any. */
  readonly recordedAt: string | null;
}

export function checkpointView(checkpoint: Checkpoint | null): CheckpointView {
  if (!checkpoint) return { position: '0', recordedAt: null };
  return {
    position: checkpoint.position.toString(),
    recordedAt: checkpoint.watermarkMs > 0 ? new Date(checkpoint.watermarkMs).toISOString() : null,
  };
}

export function claimView(claim: ClaimSummary) {
  return {
    claimId: claim.claimId,
    applicant: claim.applicant,
    programCode: claim.programCode,
    supportYear: claim.supportYear,
    subjectKey: claim.subjectKey,
    status: claim.status,
    requestedAmount: claim.requestedAmount,
    approvedAmount: claim.approvedAmount,
    countersignRequired: claim.countersignRequired,
    split: claim.split,
    paid: claim.paid,
    cancelled: claim.cancelled,
    receivable: claim.receivable,
    recovered: claim.recovered,
    submittedAt: claim.submittedAt,
    submittedPosition: claim.submittedPosition.toString(),
    lastChange: {
      position: claim.lastPosition.toString(),
      recordedAt: claim.lastRecordedAt,
      eventType: claim.lastEventType,
    },
  };
}

export function capView(row: CapRow) {
  return {
    capId: row.capId,
    kind: row.kind,
    programCode: row.programCode,
    supportYear: row.supportYear,
    subjectKey: row.subjectKey,
    cap: row.cap,
    granted: row.granted,
    remaining: remainingOf(row),
    paid: row.paid,
    position: row.position.toString(),
  };
}

export function awardView(row: AwardRow) {
  return {
    applicant: row.applicant,
    programCode: row.programCode,
    claimId: row.claimId,
    amount: row.amount,
    status: row.status,
  };
}
