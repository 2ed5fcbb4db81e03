/**
 * Fiscal obligations per funder ('city' or a district code) and fiscal month. Each fact lands in the
 * month of its business time (decision, payment, revocation, recovery, plan decision: see ledger-time.ts);
 * a district's share stays with the district recorded in the approval, whatever relocations follow.
 */
import { Money } from '@hz/money';
import { fiscalMonthOf } from './ledger-time';
import type { LedgerRecord } from './ledger-record';
import { FISCAL_FLOWS, type ClaimSplit, type ClaimSummary, type FiscalBucket, type FiscalFlow } from './rows';
import { ProjectionInvariantViolation } from './claim-summary';

export const CITY_FUNDER = 'city';

export interface FiscalMovement {
  readonly funder: string;
  readonly month: string;
  readonly flow: FiscalFlow;
  readonly amount: string;
}

export interface FiscalLookup {
  bucket(funder: string, month: string): FiscalBucket | undefined;
}

/** The fiscal movements of one event; `before` is the claim's summary before it (undefined for other events). */
export function fiscalMovementsOf(event: LedgerRecord, before: ClaimSummary | undefined): FiscalMovement[] {
  switch (event.type) {
    case 'ClaimApproved':
      // A countersign-required approval only reserves cap room; the commitment starts when it is confirmed.
      return event.data.countersignRequired ? [] : commitments(event.data.split, fiscalMonthOf(event.metadata.occurredAt));
    case 'ApprovalCountersigned':
      return commitments(splitOf(before, event), fiscalMonthOf(event.metadata.occurredAt));
    case 'DisbursementRecorded':
      return [movement(funderOf(event.data.funder, before, event), fiscalMonthOf(event.data.paidAt), 'disbursed', event.data.amount)];
    case 'ClaimRevoked': {
      const month = fiscalMonthOf(event.metadata.occurredAt);
      const district = splitOf(before, event).district;
      return [
        movement(CITY_FUNDER, month, 'cancelled', event.data.cancelled.city),
        movement(district, month, 'cancelled', event.data.cancelled.district),
        movement(CITY_FUNDER, month, 'receivable', event.data.receivable.city),
        movement(district, month, 'receivable', event.data.receivable.district),
      ];
    }
    case 'RecoveryRecorded':
      return [movement(funderOf(event.data.funder, before, event), fiscalMonthOf(event.data.recoveredAt), 'recovered', event.data.amount)];
    case 'AllocationPlanDecided': {
      // Clause 九: the allocations are the city's obligations payable to the districts.
      const total = Money.sum(event.data.allocations.map((allocation) => Money.parse(allocation.amount)));
      return [movement(CITY_FUNDER, fiscalMonthOf(event.data.decidedAt), 'committed', total.toString())];
    }
    case 'AllocationDisbursementRecorded':
      return [movement(CITY_FUNDER, fiscalMonthOf(event.data.paidAt), 'disbursed', event.data.amount)];
    default:
      return [];
  }
}

/** Applies an event's movements to the buckets they touch: one new version per touched bucket. */
export function evolveFiscal(lookup: FiscalLookup, movements: readonly FiscalMovement[], position: bigint, recordedAtMs: number): FiscalBucket[] {
  const touched = new Map<string, FiscalBucket>();
  for (const item of movements) {
    if (item.amount === '0.00' || Money.parse(item.amount).isZero()) continue;
    const key = fiscalKey(item.funder, item.month);
    const current = touched.get(key) ?? lookup.bucket(item.funder, item.month) ?? emptyBucket(item.funder, item.month);
    const flowTotal = Money.parse(current[item.flow]).plus(Money.parse(item.amount)).toString();
    touched.set(key, { ...current, [item.flow]: flowTotal, position, recordedAtMs });
  }
  return [...touched.values()];
}

export function fiscalKey(funder: string, month: string): string {
  return `${funder}|${month}`;
}

export function emptyBucket(funder: string, month: string): FiscalBucket {
  const zero = Object.fromEntries(FISCAL_FLOWS.map((flow) => [flow, '0.00'])) as Record<FiscalFlow, string>;
  return { funder, month, ...zero, position: 0n, recordedAtMs: 0 };
}

function commitments(split: Pick<ClaimSplit, 'cityShare' | 'districtShare' | 'district'>, month: string): FiscalMovement[] {
  return [movement(CITY_FUNDER, month, 'committed', split.cityShare), movement(split.district, month, 'committed', split.districtShare)];
}

function movement(funder: string, month: string, flow: FiscalFlow, amount: string): FiscalMovement {
  return { funder, month, flow, amount };
}

/** A district's payments and recoveries belong to the district of the approval, not to the event's copy of it. */
function funderOf(funder: 'city' | 'district', claim: ClaimSummary | undefined, event: LedgerRecord): string {
  return funder === 'city' ? CITY_FUNDER : splitOf(claim, event).district;
}

function splitOf(claim: ClaimSummary | undefined, event: LedgerRecord): ClaimSplit {
  if (!claim?.split) throw new ProjectionInvariantViolation(`${event.type} at position ${event.position}: the claim has no approval split`);
  return claim.split;
}
