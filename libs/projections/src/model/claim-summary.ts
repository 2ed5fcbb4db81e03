/**
 * The claim queue: one summary per claim, evolved purely from the claim's events. An event that cannot
 * follow the summary's status means the log or this code is wrong, so it throws instead of guessing.
 */
import { Money } from '@hz/money';
import type { Funder } from '@hz/ledger';
import type { LedgerRecord, LedgerRecordOf } from './ledger-record';
import { moneyText } from './money-text';
import { defineReadModel, type RowReader, type SqlValue } from './read-model';
import {
  ZERO_AMOUNTS,
  type CapRef,
  type ClaimStatus,
  type ClaimSummary,
  type FunderAmounts,
} from './rows';

export class ProjectionInvariantViolation extends Error {
  readonly code = 'PROJECTION.INVARIANT_VIOLATION';
  constructor(message: string) {
    super(message);
    this.name = 'ProjectionInvariantViolation';
  }
}

/** The events of a claim's life: the audit-trail model keeps one row for each. */
export const CLAIM_EVENT_TYPES = (
  'ClaimSubmitted ClaimWithdrawn ClaimApproved ClaimRejected ApprovalCountersigned ' +
  'ApprovalCountersignRejected DisbursementRecorded ClaimRevoked RecoveryRecorded'
).split(' ') as readonly LedgerRecord['type'][];

export function claimIdOf(event: LedgerRecord): string | undefined {
  switch (event.type) {
    case 'ClaimSubmitted':
    case 'ClaimWithdrawn':
    case 'ClaimApproved':
    case 'ClaimRejected':
    case 'ApprovalCountersigned':
    case 'ApprovalCountersignRejected':
    case 'DisbursementRecorded':
    case 'ClaimRevoked':
    case 'RecoveryRecorded':
      return event.data.claimId;
    default:
      return undefined;
  }
}

/** The next summary of the claim `event` belongs to; `current` is undefined before its submission. */
export function evolveClaimSummary(
  current: ClaimSummary | undefined,
  event: LedgerRecord,
): ClaimSummary {
  if (event.type === 'ClaimSubmitted') {
    if (current) throw violation(event, 'claim submitted twice');
    return submitted(event);
  }
  if (!current) throw violation(event, 'event for a claim that was never submitted');
  const required = STATUS_BEFORE[event.type];
  if (required === undefined) throw violation(event, 'not a claim event');
  if (current.status !== required)
    throw violation(event, `cannot follow claim status ${current.status}`);
  const next = touched(current, event);
  applyEvent(next, current, event);
  return next;
}

/** A summary being built: a copy of the claim that one event then changes in place. */
type Draft = { -readonly [Field in keyof ClaimSummary]: ClaimSummary[Field] };

/**
 * The claim with the event's position, time and type: every field written out in submitted()'s order, one
 * literal instead of spreading the claim and the event's fields into it (issue 13: the replay's profile
 * showed the spreads). A field added to ClaimSummary is a type error here until it is copied.
 */
function touched(claim: ClaimSummary, event: LedgerRecord): Draft {
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
    caps: claim.caps,
    paid: claim.paid,
    cancelled: claim.cancelled,
    receivable: claim.receivable,
    recovered: claim.recovered,
    submittedPosition: claim.submittedPosition,
    submittedAt: claim.submittedAt,
    lastPosition: event.position,
    lastRecordedAt: event.metadata.recordedAt,
    lastEventType: event.type,
    policyId: claim.policyId,
  };
}

/** The status a claim must be in for each event that follows its submission. */
const STATUS_BEFORE: Readonly<Partial<Record<LedgerRecord['type'], ClaimStatus>>> = {
  ClaimWithdrawn: 'submitted',
  ClaimRejected: 'submitted',
  ClaimApproved: 'submitted',
  ApprovalCountersigned: 'pending_countersign',
  ApprovalCountersignRejected: 'pending_countersign',
  DisbursementRecorded: 'approved',
  ClaimRevoked: 'approved',
  RecoveryRecorded: 'revoked',
};

/** What the event changes in the claim (`next` starts as its copy); its status was checked before. */
function applyEvent(next: Draft, claim: ClaimSummary, event: LedgerRecord): void {
  switch (event.type) {
    case 'ClaimWithdrawn':
      next.status = 'withdrawn';
      return;
    case 'ClaimRejected':
    case 'ApprovalCountersignRejected':
      next.status = 'rejected';
      return;
    case 'ClaimApproved':
      approve(next, event);
      // The caps checked at decision time are the ones the grant counts against from now on.
      if (event.data.capsBefore.length > 0) next.caps = approvalCapRefs(event, claim);
      return;
    case 'ApprovalCountersigned':
      next.status = 'approved';
      return;
    case 'DisbursementRecorded':
      next.paid = addTo(claim.paid, event.data.funder, event.data.amount);
      return;
    case 'ClaimRevoked':
      next.status = 'revoked';
      next.cancelled = amounts(event.data.cancelled);
      next.receivable = amounts(event.data.receivable);
      return;
    case 'RecoveryRecorded':
      next.recovered = addTo(claim.recovered, event.data.funder, event.data.amount);
      return;
    default:
      throw violation(event, 'not a claim event');
  }
}

function submitted(event: LedgerRecordOf<'ClaimSubmitted'>): ClaimSummary {
  const { data } = event;
  return {
    claimId: data.claimId,
    applicant: data.applicant,
    programCode: data.programCode,
    supportYear: data.supportYear,
    subjectKey: data.subjectKey,
    status: 'submitted',
    requestedAmount: moneyText(data.requestedAmount),
    approvedAmount: null,
    countersignRequired: false,
    split: null,
    caps: capRefs(data.assessment.caps, data.programCode, data.subjectKey),
    paid: ZERO_AMOUNTS,
    cancelled: ZERO_AMOUNTS,
    receivable: ZERO_AMOUNTS,
    recovered: ZERO_AMOUNTS,
    submittedPosition: event.position,
    submittedAt: event.metadata.recordedAt,
    lastPosition: event.position,
    lastRecordedAt: event.metadata.recordedAt,
    lastEventType: event.type,
    policyId: data.policyId,
  };
}

function approve(next: Draft, event: LedgerRecordOf<'ClaimApproved'>): void {
  const { data } = event;
  const { split } = data;
  const amount = Money.parse(data.amount);
  const cityShare = Money.parse(split.cityShare);
  const districtShare = Money.parse(split.districtShare);
  // Invariant 3 (docs/architecture.md §3): the shares add up to the amount; a projection must not hide a broken split.
  if (!cityShare.plus(districtShare).equals(amount))
    throw violation(event, 'city share + district share differs from the amount');
  next.status = data.countersignRequired ? 'pending_countersign' : 'approved';
  next.policyId = data.policyId;
  next.approvedAmount = moneyText(data.amount);
  next.countersignRequired = data.countersignRequired;
  next.split = {
    funding: split.funding,
    district: split.district,
    districtGroup: split.districtGroup,
    cityRate: split.cityRate,
    cityShare: moneyText(split.cityShare),
    districtShare: moneyText(split.districtShare),
  };
}

/**
 * The caps a grant counts against, from the approval (decision time) or the assessment (submission). A
 * per-subject claim whose program sets no amount cap still gets a row per subject, with cap null.
 */
export function capRefs(
  caps: ReadonlyArray<{ readonly capId: string; readonly cap: string }>,
  programCode: string,
  subjectKey: string | null,
): readonly CapRef[] {
  const refs: CapRef[] = caps.map((cap) => ({
    capId: cap.capId,
    cap: moneyText(cap.cap),
  }));
  if (subjectKey !== null && !refs.some((ref) => ref.capId.startsWith('subject:'))) {
    refs.push({ capId: `subject:${programCode}:${subjectKey}`, cap: null });
  }
  return refs;
}

export function approvalCapRefs(
  event: LedgerRecordOf<'ClaimApproved'>,
  claim: ClaimSummary,
): readonly CapRef[] {
  return capRefs(event.data.capsBefore, claim.programCode, claim.subjectKey);
}

/**
 * The pair with `amount` added to one funder's. A zero total takes the amount's own canonical text: 0 + x
 * is x, so the sum needs no decimal.js work (money-text.ts); any other total is a Money sum.
 */
function addTo(pair: FunderAmounts, funder: Funder, amount: string): FunderAmounts {
  const current = funder === 'city' ? pair.city : pair.district;
  // moneyText validates the amount as Money.parse does (a malformed one throws the same error).
  const total =
    current === '0.00'
      ? moneyText(amount)
      : Money.parse(amount).plus(Money.parse(current)).toString();
  return funder === 'city'
    ? { city: total, district: pair.district }
    : { city: pair.city, district: total };
}

function amounts(pair: { readonly city: string; readonly district: string }): FunderAmounts {
  return {
    city: moneyText(pair.city),
    district: moneyText(pair.district),
  };
}

function violation(event: LedgerRecord, why: string): ProjectionInvariantViolation {
  return new ProjectionInvariantViolation(
    `${event.type} at position ${event.position} (${event.streamId}): ${why}`,
  );
}

/** The claim queue's table: one current row per claim (docs/architecture.md §5). */
export const CLAIMS_MODEL = defineReadModel<ClaimSummary>()({
  name: 'claims',
  write: 'upsert',
  columns:
    'claim_id text key, applicant text, program_code text, support_year integer, subject_key text?, status text, ' +
    'requested_amount money, approved_amount money?, countersign_required integer, split_funding text?, ' +
    'split_district text?, split_group text?, split_city_rate text?, split_city_share money?, ' +
    'split_district_share money?, caps_json text, paid_city money, paid_district money, cancelled_city money, ' +
    'cancelled_district money, receivable_city money, receivable_district money, recovered_city money, ' +
    'recovered_district money, submitted_position bigint, submitted_at text, last_position bigint, ' +
    'last_recorded_at text, last_event_type text, policy_id text',
  indexes: [
    { name: 'queue', columns: ['submitted_position'], unique: true },
    { name: 'status', columns: ['status', 'submitted_position'] },
    { name: 'applicant', columns: ['applicant', 'submitted_position'] },
    // The usual filters of the reporting views (docs/reporting.md): by program and status.
    { name: 'program', columns: ['program_code', 'status'], reportingOnly: true },
  ],
  // Not flat: the split, the funder pairs and the cap list are spread over columns.
  codec: { values: claimValues, fromRow: claimFromRow },
  keyOf: (claim) => claim.claimId,
  canHandle: (event) => claimIdOf(event) !== undefined,
  evolve: (step) => (step.after === undefined ? [] : [step.after]),
});

function claimValues(c: ClaimSummary): SqlValue[] {
  const split = c.split;
  return [
    c.claimId,
    c.applicant,
    c.programCode,
    c.supportYear,
    c.subjectKey,
    c.status,
    c.requestedAmount,
    c.approvedAmount,
    c.countersignRequired ? 1 : 0,
    split?.funding ?? null,
    split?.district ?? null,
    split?.districtGroup ?? null,
    split?.cityRate ?? null,
    split?.cityShare ?? null,
    split?.districtShare ?? null,
    JSON.stringify(c.caps),
    // The four funder pairs, written out (issue 13: no intermediate arrays per row).
    c.paid.city,
    c.paid.district,
    c.cancelled.city,
    c.cancelled.district,
    c.receivable.city,
    c.receivable.district,
    c.recovered.city,
    c.recovered.district,
    c.submittedPosition,
    c.submittedAt,
    c.lastPosition,
    c.lastRecordedAt,
    c.lastEventType,
    c.policyId,
  ];
}

function claimFromRow(r: RowReader): ClaimSummary {
  const funding = r.textOrNull('split_funding') as 'split' | 'city' | null;
  const pair = (flow: string): FunderAmounts => ({
    city: r.text(`${flow}_city`),
    district: r.text(`${flow}_district`),
  });
  return {
    claimId: r.text('claim_id'),
    applicant: r.text('applicant'),
    programCode: r.text('program_code'),
    supportYear: r.int('support_year'),
    subjectKey: r.textOrNull('subject_key'),
    status: r.text('status') as ClaimStatus,
    requestedAmount: r.text('requested_amount'),
    approvedAmount: r.textOrNull('approved_amount'),
    countersignRequired: r.int('countersign_required') === 1,
    split:
      funding === null
        ? null
        : {
            funding,
            district: r.text('split_district'),
            districtGroup: r.textOrNull('split_group') as 'A' | 'B' | null,
            cityRate: r.text('split_city_rate'),
            cityShare: r.text('split_city_share'),
            districtShare: r.text('split_district_share'),
          },
    caps: JSON.parse(r.text('caps_json')) as CapRef[],
    paid: pair('paid'),
    cancelled: pair('cancelled'),
    receivable: pair('receivable'),
    recovered: pair('recovered'),
    submittedPosition: r.big('submitted_position'),
    submittedAt: r.text('submitted_at'),
    lastPosition: r.big('last_position'),
    lastRecordedAt: r.text('last_recorded_at'),
    lastEventType: r.text('last_event_type'),
    policyId: r.text('policy_id'),
  };
}
