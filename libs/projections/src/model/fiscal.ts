/**
 * Fiscal obligations per funder ('city' or a district code) and fiscal month. Each fact lands in the
 * month of its business time (decision, payment, revocation, recovery, plan decision: see ledger-time.ts);
 * a district's share stays with the district recorded in the approval, whatever relocations follow.
 */
import { Money } from '@hz/money';
import { findProgram, type PolicyCatalog } from '@hz/policy';
import { fiscalMonthOf } from './ledger-time';
import { isZeroMoney, moneyText } from './money-text';
import type { LedgerRecord } from './ledger-record';
import {
  FISCAL_FLOWS,
  type ClaimSplit,
  type ClaimSummary,
  type FiscalBucket,
  type FiscalFlow,
} from './rows';
import { ProjectionInvariantViolation } from './claim-summary';
import { compositeKey, defineReadModel, type ProjectionStep } from './read-model';

export const CITY_FUNDER = 'city';
/** Allocation plans (pools shared among districts) come from clause 五(九). */
export const ALLOCATION_PLAN_CLAUSE = '五(九)';

/**
 * The policy clause of a program code in the catalog a claim was decided under (docs/policy.md); '' when
 * this build does not know the catalog or the catalog does not know the program.
 */
export function clauseOfProgram(catalog: PolicyCatalog | undefined, programCode: string): string {
  return catalog === undefined ? '' : (findProgram(catalog, programCode)?.clause ?? '');
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

type FiscalStep = Pick<ProjectionStep, 'event' | 'before' | 'after' | 'catalogs'>;

/** The fiscal movements of one event; `before`/`after` are the claim's summary around it (claim events). */
export function fiscalMovementsOf(step: FiscalStep): FiscalMovement[] {
  const { event, before } = step;
  const claimClause = (): string => clauseOfClaim(step);
  switch (event.type) {
    case 'ClaimApproved':
      // A countersign-required approval only reserves cap room; the commitment starts when it is confirmed.
      return event.data.countersignRequired
        ? []
        : commitments(event.data.split, fiscalMonthOf(event.metadata.occurredAt), claimClause());
    case 'ApprovalCountersigned':
      return commitments(
        splitOf(before, event),
        fiscalMonthOf(event.metadata.occurredAt),
        claimClause(),
      );
    case 'DisbursementRecorded':
    case 'RecoveryRecorded':
      // A payment or a recovery lands in the month of its business date.
      return [
        movement(
          funderOf(event.data.funder, before, event),
          fiscalMonthOf(
            event.type === 'DisbursementRecorded' ? event.data.paidAt : event.data.recoveredAt,
          ),
          claimClause(),
          event.type === 'DisbursementRecorded' ? 'disbursed' : 'recovered',
          event.data.amount,
        ),
      ];
    case 'ClaimRevoked': {
      const month = fiscalMonthOf(event.metadata.occurredAt);
      const district = splitOf(before, event).district;
      const clause = claimClause();
      return [
        movement(CITY_FUNDER, month, clause, 'cancelled', event.data.cancelled.city),
        movement(district, month, clause, 'cancelled', event.data.cancelled.district),
        movement(CITY_FUNDER, month, clause, 'receivable', event.data.receivable.city),
        movement(district, month, clause, 'receivable', event.data.receivable.district),
      ];
    }
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

/**
 * Applies an event's movements to the buckets they touch: one new version per touched bucket, in the
 * order each bucket is first touched. An event has at most four movements, so the touched buckets are a
 * short list compared field by field, with no key string or Map per event (issue 13: the replay's
 * profile); a flow at zero takes the movement's own canonical text (0 + x is x, money-text.ts).
 */
export function evolveFiscal(
  lookup: FiscalLookup,
  movements: readonly FiscalMovement[],
  position: bigint,
  recordedAtMs: number,
): FiscalBucket[] {
  const touched: FiscalBucket[] = [];
  for (const item of movements) {
    // A non-zero amount in the wire format never starts with '0' unless it is below 1; anything else
    // (a malformed amount too) goes through isZeroMoney, and a malformed one then throws from Money.parse.
    if (item.amount.charCodeAt(0) === ZERO_CHAR && isZeroMoney(item.amount)) continue;
    const index = touched.findIndex(
      (bucket) =>
        bucket.funder === item.funder &&
        bucket.month === item.month &&
        bucket.clause === item.clause,
    );
    const current =
      (index < 0 ? undefined : touched[index]) ??
      lookup.bucket(item.funder, item.month, item.clause) ??
      emptyBucket(item.funder, item.month, item.clause);
    const before = current[item.flow];
    // moneyText validates the amount as Money.parse does (a malformed one throws the same error).
    const flowTotal =
      before === '0.00'
        ? moneyText(item.amount)
        : Money.parse(item.amount).plus(Money.parse(before)).toString();
    const next = withFlow(current, item.flow, flowTotal, position, recordedAtMs);
    if (index < 0) touched.push(next);
    else touched[index] = next;
  }
  return touched;
}

const ZERO_CHAR = '0'.charCodeAt(0);

/** The bucket with one flow's total, the event's position and its watermark: every field written out. */
function withFlow(
  bucket: FiscalBucket,
  flow: FiscalFlow,
  total: string,
  position: bigint,
  recordedAtMs: number,
): FiscalBucket {
  return {
    funder: bucket.funder,
    month: bucket.month,
    clause: bucket.clause,
    committed: flow === 'committed' ? total : bucket.committed,
    disbursed: flow === 'disbursed' ? total : bucket.disbursed,
    cancelled: flow === 'cancelled' ? total : bucket.cancelled,
    receivable: flow === 'receivable' ? total : bucket.receivable,
    recovered: flow === 'recovered' ? total : bucket.recovered,
    position,
    recordedAtMs,
  };
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

/**
 * The clause of the claim's program under the catalog named by the event: an approval names the catalog
 * it was decided under (its policyId); later events follow the claim's (submission's, then approval's).
 */
function clauseOfClaim({ event, before, after, catalogs }: FiscalStep): string {
  const claim = event.type === 'ClaimApproved' ? after : before;
  if (!claim)
    throw new ProjectionInvariantViolation(
      `${event.type} at position ${event.position}: the claim is unknown`,
    );
  return clauseOfProgram(catalogs(claim.policyId), claim.programCode);
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

const FISCAL_EVENT_TYPES: ReadonlySet<string> = new Set([
  'ClaimApproved',
  'ApprovalCountersigned',
  'DisbursementRecorded',
  'ClaimRevoked',
  'RecoveryRecorded',
  'AllocationPlanDecided',
  'AllocationDisbursementRecorded',
]);

/**
 * Every version of every fiscal bucket (insert-only), keyed so that the version valid at asOf is the last
 * one at or before it; the key table lists each (funder, month, clause) once, so an asOf query seeks per
 * key instead of scanning versions.
 */
export const FISCAL_MODEL = defineReadModel<FiscalBucket>()({
  name: 'fiscalVersions',
  write: 'append',
  clustered: true,
  keyTable: {
    name: 'fiscalBuckets',
    columns: ['funder', 'month', 'clause'],
  },
  columns: `funder text key, month text key, clause text key, recorded_at_ms ms key, position bigint key, ${FISCAL_FLOWS.map((flow) => `${flow} money`).join(', ')}`,
  keyOf: (row) => compositeKey(row.funder, row.month, row.clause),
  canHandle: (event) => FISCAL_EVENT_TYPES.has(event.type),
  evolve: (step) =>
    evolveFiscal(step.view, fiscalMovementsOf(step), step.event.position, step.recordedAtMs),
});
