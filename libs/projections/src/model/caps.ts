/**
 * Caps per applicant (annual per program and support year, one-time, per subject, applicant-wide totals).
 * A claim contributes its amount to `granted` while it is pending countersignature or approved, like the
 * ledger's decider; its paid amount net of recoveries to `paid`.
 */
import { Money } from '@hz/money';
import type { LedgerRecord } from './ledger-record';
import { claimIdOf } from './claim-summary';
import { moneyText } from './money-text';
import { compositeKey, defineReadModel } from './read-model';
import type { CapRef, CapRow, ClaimSummary } from './rows';

/** How an event moves a claim's grant and its net paid amount: an amount and a direction, or nothing. */
interface Change {
  readonly amount: Money;
  /** The amount's canonical text (amount.toString()). */
  readonly text: string;
  readonly up: boolean;
}

interface ContributionChange {
  readonly granted: Change | undefined;
  readonly paid: Change | undefined;
}

/**
 * A claim counts its approved amount in `granted` while pending countersignature or approved, and its
 * payments net of recoveries in `paid`. So: approval +amount; countersign refusal or revocation −amount;
 * payment +paid; recovery −paid. Nothing else moves a cap (a countersignature only confirms the reservation).
 */
function changeOf(
  event: LedgerRecord,
  before: ClaimSummary | undefined,
  after: ClaimSummary,
): ContributionChange {
  switch (event.type) {
    case 'ClaimApproved':
      return { granted: changeBy(after.approvedAmount ?? '0.00', true), paid: undefined };
    case 'ApprovalCountersignRejected':
    case 'ClaimRevoked':
      return {
        granted: grantsOf(before) ? changeBy(after.approvedAmount ?? '0.00', false) : undefined,
        paid: undefined,
      };
    case 'DisbursementRecorded':
      return { granted: undefined, paid: changeBy(event.data.amount, true) };
    case 'RecoveryRecorded':
      return { granted: undefined, paid: changeBy(event.data.amount, false) };
    default:
      return NO_CHANGE;
  }
}

const NO_CHANGE: ContributionChange = { granted: undefined, paid: undefined };

/** A change by a money string (parsed: a malformed amount throws MoneyParseError as before). */
function changeBy(amount: string, up: boolean): Change {
  return { amount: Money.parse(amount), text: moneyText(amount), up };
}

function grantsOf(claim: ClaimSummary | undefined): boolean {
  return claim?.status === 'approved' || claim?.status === 'pending_countersign';
}

/**
 * Applies a change to a stored amount; Money refuses to go below zero, which would be a broken ledger. A
 * rise from zero is the change's own amount, with no decimal.js sum (money-text.ts).
 */
function applied(current: string, change: Change | undefined): string {
  if (change === undefined || change.amount.isZero()) return current;
  if (change.up && current === '0.00') return change.text;
  const value = Money.parse(current);
  return (change.up ? value.plus(change.amount) : value.minus(change.amount)).toString();
}

/** The kind of a cap from its id ('annual:c1-platform:2024' → 'annual'), as the policy engine names them. */
export function capKindOf(capId: string): string {
  const separator = capId.indexOf(':');
  return separator < 0 ? capId : capId.slice(0, separator);
}

export interface CapLookup {
  cap(applicant: string, capId: string): CapRow | undefined;
}

/**
 * The cap rows an event changes through this claim (one new version each), or [] when it moves none.
 * `recordedAtMs` is the event's ledger-time watermark.
 */
export function evolveCaps(
  lookup: CapLookup,
  event: LedgerRecord,
  before: ClaimSummary | undefined,
  after: ClaimSummary,
  recordedAtMs: number,
): CapRow[] {
  const change = changeOf(event, before, after);
  if (change.granted === undefined && change.paid === undefined) return [];
  const rows: CapRow[] = [];
  for (const ref of after.caps) {
    const current = lookup.cap(after.applicant, ref.capId) ?? emptyCapRow(after, ref);
    // Every field written out (issue 13: the replay's profile showed the spread of the current row).
    rows.push({
      applicant: current.applicant,
      capId: current.capId,
      kind: current.kind,
      programCode: current.programCode,
      supportYear: current.supportYear,
      subjectKey: current.subjectKey,
      cap: ref.cap ?? current.cap,
      granted: applied(current.granted, change.granted),
      paid: applied(current.paid, change.paid),
      position: after.lastPosition,
      recordedAtMs,
    });
  }
  return rows;
}

function emptyCapRow(claim: ClaimSummary, ref: CapRef): CapRow {
  const kind = capKindOf(ref.capId);
  return {
    applicant: claim.applicant,
    capId: ref.capId,
    kind,
    programCode: claim.programCode,
    supportYear: kind === 'annual' ? claim.supportYear : null,
    subjectKey: kind === 'subject' ? claim.subjectKey : null,
    cap: ref.cap,
    granted: '0.00',
    paid: '0.00',
    position: claim.lastPosition,
    recordedAtMs: 0,
  };
}

/** What a caps query shows: remaining = max(0, cap − granted), or null when the scope has no amount cap. */
export function remainingOf(row: Pick<CapRow, 'cap' | 'granted'>): string | null {
  return row.cap === null
    ? null
    : Money.parse(row.cap).minusFloorZero(Money.parse(row.granted)).toString();
}

/** Every version of every cap (insert-only: asOf reads the version valid then). */
export const CAPS_MODEL = defineReadModel<CapRow>()({
  name: 'capVersions',
  write: 'append',
  clustered: true,
  columns:
    'applicant text key, cap_id text key, position bigint key, recorded_at_ms ms, kind text, program_code text, ' +
    'support_year integer?, subject_key text?, cap money?, granted money, paid money',
  keyOf: (row) => compositeKey(row.applicant, row.capId),
  canHandle: (event) => claimIdOf(event) !== undefined,
  evolve: ({ view, event, before, after, recordedAtMs }) =>
    after === undefined ? [] : evolveCaps(view, event, before, after, recordedAtMs),
});
