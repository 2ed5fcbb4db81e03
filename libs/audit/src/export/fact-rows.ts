/**
 * The facts sheets of the export, read straight from the events (they are the facts; a projection adds
 * nothing): decisions, disbursements (claims and allocation plans) and recoveries, in position order.
 */
import type { RecordedEvent } from '@hz/event-store';
import type { LedgerEvent } from '@hz/ledger';
import { decisionName, funderName } from './labels';
import type { Row } from './workbook';

export interface FactRows {
  readonly decisions: Row[];
  readonly disbursements: Row[];
  readonly recoveries: Row[];
}

export function emptyFactRows(): FactRows {
  return { decisions: [], disbursements: [], recoveries: [] };
}

/** Adds the rows an event contributes; events that are not decisions or money movements add none. */
export function collectFacts(rows: FactRows, recorded: RecordedEvent): void {
  const event = recorded as unknown as LedgerEvent;
  const common = {
    position: recorded.position.toString(),
    actor: recorded.metadata.actor,
    occurredAt: recorded.metadata.occurredAt,
    recordedAt: recorded.metadata.recordedAt,
  };
  const decided = (decision: string) => ({ decision, decisionName: decisionName(decision) });
  const funded = (funder: string) => ({ funder, funderName: funderName(funder) });
  switch (event.type) {
    case 'ClaimApproved': {
      const { data } = event;
      rows.decisions.push({
        ...common,
        claimId: data.claimId,
        ...decided(data.countersignRequired ? 'approved-pending-countersign' : 'approved'),
        amount: data.amount,
        ceiling: data.ceiling,
        ruleAmount: data.ruleAmount,
        district: data.split.district,
        districtName: funderName(data.split.district),
        cityShare: data.split.cityShare,
        districtShare: data.split.districtShare,
        policy: `${data.policyId}@${data.catalogHash.slice(0, 12)}`,
        reasons: data.reasons.join('; '),
      });
      return;
    }
    case 'ClaimRejected':
    case 'ApprovalCountersigned':
    case 'ApprovalCountersignRejected': {
      const decision =
        event.type === 'ClaimRejected'
          ? 'rejected'
          : event.type === 'ApprovalCountersigned'
            ? 'countersigned'
            : 'countersign-rejected';
      rows.decisions.push({
        ...common,
        claimId: event.data.claimId,
        ...decided(decision),
        amount: null,
        ceiling: null,
        ruleAmount: null,
        district: null,
        districtName: null,
        cityShare: null,
        districtShare: null,
        policy: null,
        reasons: event.data.reasons.join('; '),
      });
      return;
    }
    case 'ClaimRevoked':
      rows.decisions.push({
        ...common,
        claimId: event.data.claimId,
        ...decided('revoked'),
        amount: null,
        ceiling: null,
        ruleAmount: null,
        district: event.data.district,
        districtName: funderName(event.data.district),
        cityShare: null,
        districtShare: null,
        policy: null,
        reasons: event.data.reasons.join('; '),
      });
      return;
    case 'DisbursementRecorded':
      rows.disbursements.push({
        ...common,
        subject: event.data.claimId,
        ...funded(event.data.funder === 'city' ? 'city' : event.data.district),
        amount: event.data.amount,
        paymentRef: event.data.paymentRef,
        paidAt: event.data.paidAt,
      });
      return;
    case 'AllocationDisbursementRecorded':
      rows.disbursements.push({
        ...common,
        subject: `分配计划 ${event.data.planId} → ${event.data.district}`,
        ...funded('city'),
        amount: event.data.amount,
        paymentRef: event.data.paymentRef,
        paidAt: event.data.paidAt,
      });
      return;
    case 'RecoveryRecorded':
      rows.recoveries.push({
        ...common,
        claimId: event.data.claimId,
        ...funded(event.data.funder === 'city' ? 'city' : event.data.district),
        amount: event.data.amount,
        recoveryRef: event.data.recoveryRef,
        recoveredAt: event.data.recoveredAt,
      });
      return;
    default:
      return;
  }
}
