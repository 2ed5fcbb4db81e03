/**
 * Money movements on an approved claim: disbursement per funder, revocation (cancel unpaid shares, turn
 * paid shares into receivables) and recovery of those receivables. Invariant 4 lives here.
 */
import { Money } from '@hz/money';
import type { CommandMetadata, RecordDisbursement, RecordRecovery, RevokeClaim } from '../commands';
import { assertInvariant, DomainError, type DomainErrorCode } from '../errors';
import {
  RECORDED_PAYMENT_CHANNELS,
  type ClaimRevoked,
  type DisbursementRecorded,
  type Funder,
  type RecordedPaymentChannel,
  type RecoveryRecorded,
} from '../events';
import {
  isAfterNow,
  parseAmount,
  requireBusinessTime,
  requireReasons,
  requireReference,
} from '../guards';
import { movementsOf, requireClaim, requireStatus } from './claims';
import { requireIndependentOfApplicant } from './separation';
import type { ApplicantState, ClaimState, FunderAmounts, RegisteredApplicant } from './state';

function requireFunder(funder: unknown): Funder {
  if (funder !== 'city' && funder !== 'district')
    throw new DomainError('COMMAND.INVALID', 'funder must be city or district', {
      field: 'funder',
    });
  return funder;
}

/**
 * A reference already used in this stream: the same movement again is an idempotent replay (no new
 * event); anything else under that reference is a reuse. References used in other streams are caught
 * by the reservation stream (payment-ref-{ref}) in the application service.
 */
function alreadyRecorded(
  applicant: RegisteredApplicant,
  kind: 'payment' | 'recovery',
  reference: string,
  movement: { claimId: string; funder: Funder; amount: Money; at: string },
): boolean {
  const previous = movementsOf(applicant).find(
    (entry) => entry.kind === kind && entry.reference === reference,
  );
  if (previous === undefined) return false;
  const same =
    previous.claimId === movement.claimId &&
    previous.funder === movement.funder &&
    previous.amount.equals(movement.amount) &&
    previous.at === movement.at;
  if (!same)
    throw new DomainError(
      'REFERENCE.REUSED',
      `${kind} reference ${reference} was already used for other content`,
      { reference, kind, claimId: previous.claimId },
    );
  return true;
}

/** Separation of duties, checked before anything else so that not even a replay answers a decider. */
function requireIndependentDisburser(claim: ClaimState, actor: string): void {
  if (claim.status !== 'approved' && claim.status !== 'revoked') return;
  if (actor === claim.approval.approvedBy || actor === claim.countersignedBy) {
    throw new DomainError(
      'SOD.DISBURSER_DECIDED',
      'whoever approved or countersigned a claim may not record its disbursement',
    );
  }
}

/** What differs between a disbursement and a recovery at admission (docs/policy.md, invariant 4). */
interface MovementRule<S extends ClaimState['status']> {
  kind: 'payment' | 'recovery';
  act: 'disburse' | 'recover';
  status: S;
  statusCode: DomainErrorCode;
  statusRule: string;
  notPositive: DomainErrorCode;
  notPositiveMessage: string;
  datedInFuture: DomainErrorCode;
  refField: 'paymentRef' | 'recoveryRef';
  atField: 'paidAt' | 'recoveredAt';
}

const DISBURSEMENT: MovementRule<'approved'> = {
  kind: 'payment',
  act: 'disburse',
  status: 'approved',
  statusCode: 'CLAIM.NOT_APPROVED',
  statusRule: 'only an approved claim is paid',
  notPositive: 'DISBURSEMENT.AMOUNT_NOT_POSITIVE',
  notPositiveMessage: 'a disbursement must be above 0.00',
  datedInFuture: 'DISBURSEMENT.DATED_IN_FUTURE',
  refField: 'paymentRef',
  atField: 'paidAt',
};

const RECOVERY: MovementRule<'revoked'> = {
  kind: 'recovery',
  act: 'recover',
  status: 'revoked',
  statusCode: 'CLAIM.NOT_REVOKED',
  statusRule: 'only a revoked claim has receivables',
  notPositive: 'RECOVERY.AMOUNT_NOT_POSITIVE',
  notPositiveMessage: 'a recovery must be above 0.00',
  datedInFuture: 'RECOVERY.DATED_IN_FUTURE',
  refField: 'recoveryRef',
  atField: 'recoveredAt',
};

/** A payment or a recovery as its command names it, parsed. */
interface Movement {
  applicant: RegisteredApplicant;
  claim: ClaimState;
  funder: Funder;
  amount: Money;
  reference: string;
  at: string;
}

/** The fields a disbursement and a recovery share, parsed in their order (the first bad one answers). */
function parseMovement<S extends ClaimState['status']>(
  rule: MovementRule<S>,
  state: ApplicantState,
  data: { readonly claimId: string; readonly funder: unknown; readonly amount: unknown },
  reference: unknown,
  at: unknown,
): Movement {
  const { applicant, claim } = requireClaim(state, data.claimId);
  return {
    applicant,
    claim,
    funder: requireFunder(data.funder),
    amount: parseAmount(data.amount, 'amount'),
    reference: requireReference(reference, rule.refField),
    at: requireBusinessTime(at, rule.atField),
  };
}

/**
 * The checks a disbursement and a recovery share, in their order: separation from the applicant, the
 * idempotent replay (null: no new event), the claim status, a positive amount, not after the ledger time.
 */
function admitMovement<S extends ClaimState['status']>(
  rule: MovementRule<S>,
  movement: Movement,
  metadata: CommandMetadata,
): Extract<ClaimState, { status: S }> | null {
  const { applicant, claim, funder, amount, reference, at } = movement;
  requireIndependentOfApplicant(applicant, claim, metadata, rule.act);
  if (
    alreadyRecorded(applicant, rule.kind, reference, { claimId: claim.claimId, funder, amount, at })
  )
    return null;
  requireStatus(claim, rule.status, rule.statusCode, rule.statusRule);
  if (!amount.isPositive()) throw new DomainError(rule.notPositive, rule.notPositiveMessage);
  if (isAfterNow(at, metadata.now))
    throw new DomainError(rule.datedInFuture, `${rule.atField} lies after the ledger time`, {
      [rule.atField]: at,
    });
  return claim;
}

export function recordDisbursement(
  command: RecordDisbursement,
  state: ApplicantState,
): [DisbursementRecorded] | [] {
  const { data, metadata } = command;
  const movement = parseMovement(DISBURSEMENT, state, data, data.paymentRef, data.paidAt);
  const { funder, amount, reference: paymentRef, at: paidAt } = movement;
  const channel = requireChannel(data.channel);
  requireIndependentDisburser(movement.claim, metadata.actor);
  const approved = admitMovement(DISBURSEMENT, movement, metadata);
  if (approved === null) return [];
  const share = approved.approval.split.shares[funder];
  const paid = approved.paid[funder];
  if (paid.plus(amount).greaterThan(share)) {
    throw new DomainError(
      'DISBURSEMENT.EXCEEDS_SHARE',
      `the ${funder} share is ${share.toString()}, already paid ${paid.toString()}`,
      {
        funder,
        share: share.toString(),
        paid: paid.toString(),
        amount: amount.toString(),
        remaining: share.minusFloorZero(paid).toString(),
      },
    );
  }
  assertInvariant(share.minus(paid).greaterThanOrEqual(amount), 'paid never exceeds the share', {
    funder,
  });
  const district = approved.approval.split.district;
  return [
    {
      type: 'DisbursementRecorded',
      data: {
        claimId: approved.claimId,
        funder,
        district,
        amount: amount.toString(),
        paymentRef,
        paidAt,
        channel,
      },
    },
  ];
}

/** DisbursementRecorded v2 records the channel; a command that names none was a bank transfer. */
function requireChannel(channel: unknown): RecordedPaymentChannel {
  if (channel === undefined) return 'bank-transfer';
  if (!(RECORDED_PAYMENT_CHANNELS as readonly unknown[]).includes(channel))
    throw new DomainError(
      'COMMAND.INVALID',
      `channel must be one of ${RECORDED_PAYMENT_CHANNELS.join(', ')}`,
      { field: 'channel' },
    );
  return channel as RecordedPaymentChannel;
}

/** Pending approvals are not revoked: the countersigner rejects them instead (decision recorded in the report). */
export function revokeClaim(command: RevokeClaim, state: ApplicantState): [ClaimRevoked] {
  const { claim } = requireClaim(state, command.data.claimId);
  requireStatus(claim, 'approved', 'CLAIM.NOT_APPROVED', 'only an approved claim can be revoked');
  const reasons = requireReasons(command.data.reasons, 'CLAIM.REASONS_REQUIRED');
  const { shares, district } = claim.approval.split;
  const cancelled: FunderAmounts = {
    city: shares.city.minus(claim.paid.city),
    district: shares.district.minus(claim.paid.district),
  };
  const receivable: FunderAmounts = claim.paid;
  for (const funder of ['city', 'district'] as const) {
    assertInvariant(
      cancelled[funder].plus(receivable[funder]).equals(shares[funder]),
      'cancelled + receivable = share',
      { funder },
    );
  }
  return [
    {
      type: 'ClaimRevoked',
      data: {
        claimId: claim.claimId,
        reasons,
        district,
        cancelled: { city: cancelled.city.toString(), district: cancelled.district.toString() },
        receivable: { city: receivable.city.toString(), district: receivable.district.toString() },
      },
    },
  ];
}

export function recordRecovery(
  command: RecordRecovery,
  state: ApplicantState,
): [RecoveryRecorded] | [] {
  const { data, metadata } = command;
  const movement = parseMovement(RECOVERY, state, data, data.recoveryRef, data.recoveredAt);
  const { funder, amount, reference: recoveryRef, at: recoveredAt } = movement;
  const revoked = admitMovement(RECOVERY, movement, metadata);
  if (revoked === null) return [];
  const receivable = revoked.receivable[funder];
  const recovered = revoked.recovered[funder];
  if (recovered.plus(amount).greaterThan(receivable)) {
    throw new DomainError(
      'RECOVERY.EXCEEDS_RECEIVABLE',
      `the ${funder} receivable is ${receivable.toString()}, already recovered ${recovered.toString()}`,
      {
        funder,
        receivable: receivable.toString(),
        recovered: recovered.toString(),
        amount: amount.toString(),
      },
    );
  }
  assertInvariant(
    receivable.minus(recovered).greaterThanOrEqual(amount),
    'recoveries never exceed the receivable',
    { funder },
  );
  const district = revoked.approval.split.district;
  return [
    {
      type: 'RecoveryRecorded',
      data: {
        claimId: revoked.claimId,
        funder,
        district,
        amount: amount.toString(),
        recoveryRef,
        recoveredAt,
      },
    },
  ];
}
