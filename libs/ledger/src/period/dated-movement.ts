/**
 * The money movements a period close governs (docs/operations.md "Period close"): a claim's payment or
 * recovery and an allocation plan's payment, as commands (checked before they are decided, libs/application
 * period-close.ts) and as the events they record (checked by verify, libs/audit period-close-audit.ts).
 * One table says, for each type, which funder it moves money for and which field dates it.
 */
import { businessMonthOf } from '@hz/kernel';

/** A period's funders: 'district' is every district treasury (docs/architecture.md §2). */
export type PeriodFunderOf = 'city' | 'district';

interface DatedShape {
  /** The data field naming the funder, or the funder itself when the type pays for one only. */
  readonly funder: { readonly field: string } | PeriodFunderOf;
  readonly dateField: string;
}

const PAYMENT: DatedShape = { funder: { field: 'funder' }, dateField: 'paidAt' };
const RECOVERY: DatedShape = { funder: { field: 'funder' }, dateField: 'recoveredAt' };
const ALLOCATION_PAYMENT: DatedShape = { funder: 'city', dateField: 'paidAt' };

const DATED_TYPES: Readonly<Record<string, DatedShape>> = {
  RecordDisbursement: PAYMENT,
  DisbursementRecorded: PAYMENT,
  RecordRecovery: RECOVERY,
  RecoveryRecorded: RECOVERY,
  RecordAllocationDisbursement: ALLOCATION_PAYMENT,
  AllocationDisbursementRecorded: ALLOCATION_PAYMENT,
};

export interface DatedMovement {
  readonly funder: PeriodFunderOf;
  /** The business date or time as recorded. */
  readonly datedOn: string;
  /** Its fiscal year (Hangzhou business time), or null when the date is not one. */
  readonly period: string | null;
}

/** The funder, date and fiscal year of a dated movement (command or event), or null for any other type. */
export function datedMovementOf(
  type: string,
  data: Readonly<Record<string, unknown>>,
): DatedMovement | null {
  const shape = DATED_TYPES[type];
  if (shape === undefined) return null;
  const funder = typeof shape.funder === 'string' ? shape.funder : data[shape.funder.field];
  const datedOn = data[shape.dateField];
  if ((funder !== 'city' && funder !== 'district') || typeof datedOn !== 'string') return null;
  return { funder, datedOn, period: periodOfBusinessTime(datedOn) };
}

function periodOfBusinessTime(value: string): string | null {
  try {
    return businessMonthOf(value).slice(0, 4);
  } catch {
    return null;
  }
}
