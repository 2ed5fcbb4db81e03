/**
 * Fiscal obligations per funder ('city' or a district code) and fiscal month. Each fact lands in the
 * month of its business time (decision, payment, revocation, recovery, plan decision: see ledger-time.ts);
 * a district's share stays with the district recorded in the approval, whatever relocations follow.
 */
import { Money } from '@hz/money';
import { findProgram, HZ_CBEC_2023 } from '@hz/policy';
import { fiscalMonthOf } from './ledger-time';
import type { LedgerRecord } from './ledger-record';
import {
  FISCAL_FLOWS,
  type ClaimSplit,
  type ClaimSummary,
  type FiscalBucket,
  type FiscalFlow,
} from './rows';
import { ProjectionInvariantViolation } from './claim-summary';

export const CITY_FUNDER = 'city';
/** Allocation plans (pools shared among districts) come from clause 五(九). */
export const ALLOCATION_PLAN_CLAUSE = '五(九)';

/** The policy clause of a program code, from the catalog; '' when the catalog does not know it. */
export function clauseOfProgram(programCode: string): string {
  return findProgram(HZ_CBEC_2023, programCode)?.clause ?? '';
}

export interface FiscalMovement {
  readonly funder: string;
  readonly month: string;
  readonly clause: string;
  readonly flow: FiscalFlow;
  readonly amount: string;
}

export interface FiscalLookup {
  bucket(funder: string, month: string, clause: string): FiscalBucket | undefined;
}

/** The fiscal movements of one event; `before` is the claim's summary before it (undefined for other events). */
export function fiscalMovementsOf(
  event: LedgerRecord,
  before: ClaimSummary | undefined,
): FiscalMovement[] {
  switch (event.type) {
    case 'ClaimApproved':
      // A countersign-required approval only reserves cap room; the commitment starts when it is confirmed.
      return event.data.countersignRequired
        ? []
        : commitments(
            event.data.split,
            fiscalMonthOf(event.metadata.occurredAt),
            claimClause(before, event),
          );
    case 'ApprovalCountersigned':
      return commitments(
        splitOf(before, event),
        fiscalMonthOf(event.metadata.occurredAt),
        claimClause(before, event),
      );
    case 'DisbursementRecorded':
      return [
        movement(
          funderOf(event.data.funder, before, event),
          fiscalMonthOf(event.data.paidAt),
          claimClause(before, event),
          'disbursed',
          event.data.amount,
        ),
      ];
    case 'ClaimRevoked': {
      const month = fiscalMonthOf(event.metadata.occurredAt);
      const district = splitOf(before, event).district;
      const clause = claimClause(before, event);
      return [
        movement(CITY_FUNDER, month, clause, 'cancelled', event.data.cancelled.city),
        movement(district, month, clause, 'cancelled', event.data.cancelled.district),
        movement(CITY_FUNDER, month, clause, 'receivable', event.data.receivable.city),
        movement(district, month, clause, 'receivable', event.data.receivable.district),
      ];
    }
    case 'RecoveryRecorded':
      return [
        movement(
          funderOf(event.data.funder, before, event),
          fiscalMonthOf(event.data.recoveredAt),
          claimClause(before, event),
          'recovered',
          event.data.amount,
        ),
      ];
    case 'AllocationPlanDecided': {
      // Clause 九: the allocations are the city's obligations payable to the districts.
      const total = Money.sum(
        event.data.allocations.map((allocation) => Money.parse(allocation.amount)),
      );
      return [
        movement(
          CITY_FUNDER,
          fiscalMonthOf(event.data.decidedAt),
          ALLOCATION_PLAN_CLAUSE,
          'committed',
          total.toString(),
        ),
      ];
    }
    case 'AllocationDisbursementRecorded':
      return [
        movement(
          CITY_FUNDER,
          fiscalMonthOf(event.data.paidAt),
          ALLOCATION_PLAN_CLAUSE,
          'disbursed',
          event.data.amount,
        ),
      ];
    default:
      return [];
  }
}

/** Applies an event's movements to the buckets they touch: one new version per touched bucket. */
export function evolveFiscal(
  lookup: FiscalLookup,
  movements: readonly FiscalMovement[],
  position: bigint,
  recordedAtMs: number,
): FiscalBucket[] {
  const touched = new Map<string, FiscalBucket>();
  for (const item of movements) {
    if (item.amount === '0.00' || Money.parse(item.amount).isZero()) continue;
    const key = fiscalKey(item.funder, item.month, item.clause);
    const current =
      touched.get(key) ??
      lookup.bucket(item.funder, item.month, item.clause) ??
      emptyBucket(item.funder, item.month, item.clause);
    const flowTotal = Money.parse(current[item.flow]).plus(Money.parse(item.amount)).toString();
    touched.set(key, { ...current, [item.flow]: flowTotal, position, recordedAtMs });
  }
  return [...touched.values()];
}

export function fiscalKey(funder: string, month: string, clause: string): string {
  return `${funder}|${month}|${clause}`;
}

export function emptyBucket(funder: string, month: string, clause: string): FiscalBucket {
  const zero = Object.fromEntries(FISCAL_FLOWS.map((flow) => [flow, '0.00'])) as Record<
    FiscalFlow,
    string
  >;
  return { funder, month, clause, ...zero, position: 0n, recordedAtMs: 0 };
}

function commitments(
  split: Pick<ClaimSplit, 'cityShare' | 'districtShare' | 'district'>,
  month: string,
  clause: string,
): FiscalMovement[] {
  return [
    movement(CITY_FUNDER, month, clause, 'committed', split.cityShare),
    movement(split.district, month, clause, 'committed', split.districtShare),
  ];
}

function movement(
  funder: string,
  month: string,
  clause: string,
  flow: FiscalFlow,
  amount: string,
): FiscalMovement {
  return { funder, month, clause, flow, amount };
}

function claimClause(claim: ClaimSummary | undefined, event: LedgerRecord): string {
  if (!claim)
    throw new ProjectionInvariantViolation(
      `${event.type} at position ${event.position}: the claim is unknown`,
    );
  return clauseOfProgram(claim.programCode);
}

/** A district's payments and recoveries belong to the district of the approval, not to the event's copy of it. */
function funderOf(
  funder: 'city' | 'district',
  claim: ClaimSummary | undefined,
  event: LedgerRecord,
): string {
  return funder === 'city' ? CITY_FUNDER : splitOf(claim, event).district;
}

function splitOf(claim: ClaimSummary | undefined, event: LedgerRecord): ClaimSplit {
  if (!claim?.split)
    throw new ProjectionInvariantViolation(
      `${event.type} at position ${event.position}: the claim has no approval split`,
    );
  return claim.split;
}
