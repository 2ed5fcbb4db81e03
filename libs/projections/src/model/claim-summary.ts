/**
 * The claim queue: one summary per claim, evolved purely from the claim's events. An event that cannot
 * follow the summary's status means the log or this code is wrong, so it throws instead of guessing.
 */
import { Money } from '@hz/money';
import type { Funder } from '@hz/ledger';
import type { LedgerRecord, LedgerRecordOf } from './ledger-record';
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
  const touched = {
    lastPosition: event.position,
    lastRecordedAt: event.metadata.recordedAt,
    lastEventType: event.type,
  };
  const next = nextFields(current, event);
  return { ...current, ...next, ...touched };
}

function nextFields(claim: ClaimSummary, event: LedgerRecord): Partial<ClaimSummary> {
  switch (event.type) {
    case 'ClaimWithdrawn':
      expectStatus(claim, event, 'submitted');
      return { status: 'withdrawn' };
    case 'ClaimRejected':
      expectStatus(claim, event, 'submitted');
      return { status: 'rejected' };
    case 'ClaimApproved':
      expectStatus(claim, event, 'submitted');
      // The caps checked at decision time are the ones the grant counts against from now on.
      return {
        ...approved(event),
        caps: event.data.capsBefore.length > 0 ? approvalCapRefs(event, claim) : claim.caps,
      };
    case 'ApprovalCountersigned':
      expectStatus(claim, event, 'pending_countersign');
      return { status: 'approved' };
    case 'ApprovalCountersignRejected':
      expectStatus(claim, event, 'pending_countersign');
      return { status: 'rejected' };
    case 'DisbursementRecorded':
      expectStatus(claim, event, 'approved');
      return { paid: addTo(claim.paid, event.data.funder, event.data.amount) };
    case 'ClaimRevoked':
      expectStatus(claim, event, 'approved');
      return {
        status: 'revoked',
        cancelled: amounts(event.data.cancelled),
        receivable: amounts(event.data.receivable),
      };
    case 'RecoveryRecorded':
      expectStatus(claim, event, 'revoked');
      return { recovered: addTo(claim.recovered, event.data.funder, event.data.amount) };
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
    requestedAmount: Money.parse(data.requestedAmount).toString(),
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
  };
}

function approved(
  event: LedgerRecordOf<'ClaimApproved'>,
): Partial<ClaimSummary> & { status: ClaimStatus } {
  const { data } = event;
  const { split } = data;
  const amount = Money.parse(data.amount);
  const cityShare = Money.parse(split.cityShare);
  const districtShare = Money.parse(split.districtShare);
  // Invariant 3 (docs/architecture.md §3): the shares add up to the amount; a projection must not hide a broken split.
  if (!cityShare.plus(districtShare).equals(amount))
    throw violation(event, 'city share + district share differs from the amount');
  return {
    status: data.countersignRequired ? 'pending_countersign' : 'approved',
    approvedAmount: amount.toString(),
    countersignRequired: data.countersignRequired,
    split: {
      funding: split.funding,
      district: split.district,
      districtGroup: split.districtGroup,
      cityRate: split.cityRate,
      cityShare: cityShare.toString(),
      districtShare: districtShare.toString(),
    },
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
    cap: Money.parse(cap.cap).toString(),
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

function addTo(pair: FunderAmounts, funder: Funder, amount: string): FunderAmounts {
  return { ...pair, [funder]: Money.parse(pair[funder]).plus(Money.parse(amount)).toString() };
}

function amounts(pair: { readonly city: string; readonly district: string }): FunderAmounts {
  return {
    city: Money.parse(pair.city).toString(),
    district: Money.parse(pair.district).toString(),
  };
}

function expectStatus(claim: ClaimSummary, event: LedgerRecord, status: ClaimStatus): void {
  if (claim.status !== status) throw violation(event, `cannot follow claim status ${claim.status}`);
}

function violation(event: LedgerRecord, why: string): ProjectionInvariantViolation {
  return new ProjectionInvariantViolation(
    `${event.type} at position ${event.position} (${event.streamId}): ${why}`,
  );
}
