/**
 * The facts sheets of the export, read straight from the events (they are the facts; a projection adds
 * nothing): decisions, disbursements (claims and allocation plans) and recoveries, in position order; and
 * apart from them the post-close adjustments and the periods closed (docs/operations.md "Period close"):
 * an adjustment is never a disbursement or recovery row, so it is never in those sheets' totals.
 */
import type { RecordedEvent } from '@hz/event-store';
import type { LedgerEvent } from '@hz/ledger';
import { decisionName, funderName } from './labels';
import type { RowSpill } from './row-spill';
import type { Row, Rows } from './workbook';

/** Where collected rows go: an array, or a spill to a scratch file that keeps them out of memory. */
export interface RowList extends Rows<Row> {
  push(row: Row): void;
}

export interface FactRows {
  readonly decisions: RowList;
  readonly disbursements: RowList;
  readonly recoveries: RowList;
  /** PostCloseAdjustmentRecorded, one row each: the amount under 拨付调整 or 追回调整 by its kind. */
  readonly adjustments: RowList;
  /** 'YYYY funder' for every PeriodClosed (funder per funder): a closed period gets the adjustments sheet. */
  readonly closedPeriods: string[];
}

/** Facts held in arrays: for small ledgers and tests. */
export function emptyFactRows(): FactRows {
  return { decisions: [], disbursements: [], recoveries: [], adjustments: [], closedPeriods: [] };
}

/** Facts spilled to `spill` as they are collected (the export's default, issue 13); periods are few. */
export function spilledFactRows(spill: RowSpill): FactRows {
  return {
    decisions: spill.list<Row>(),
    disbursements: spill.list<Row>(),
    recoveries: spill.list<Row>(),
    adjustments: spill.list<Row>(),
    closedPeriods: [],
  };
}

/** An adjustment's funder is 'city' or 'district' (every district treasury, docs/architecture.md §2). */
export const DISTRICTS_FUNDER_NAME = '各区县';
const ADJUSTMENT_KIND_ZH = { disbursement: '拨付调整', recovery: '追回调整' } as const;

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
    case 'PostCloseAdjustmentRecorded': {
      const { data } = event;
      rows.adjustments.push({
        ...common,
        period: data.period,
        datedOn: data.datedOn,
        funder: data.funder,
        funderName: data.funder === 'district' ? DISTRICTS_FUNDER_NAME : funderName(data.funder),
        kindName: ADJUSTMENT_KIND_ZH[data.kind] ?? data.kind,
        subject: data.subjectId,
        disbursed: data.kind === 'disbursement' ? data.amount : null,
        recovered: data.kind === 'recovery' ? data.amount : null,
        reference: data.reference,
        reasons: data.reasons.join('; '),
      });
      return;
    }
    case 'PeriodClosed':
      for (const funder of event.data.funders)
        rows.closedPeriods.push(`${event.data.period} ${funder}`);
      return;
    default:
      return;
  }
}
