/**
 * The applicant decider (docs/style.md): the applicant-{uscc} stream is the consistency boundary for every
 * per-applicant cap and one-time flag, so one decider covers the applicant and all of its claims.
 * `decide` only authorises and routes: each command's function is named by its entry in the command
 * registry (../command-registry.ts). `evolve` (below) is pure and total over ApplicantEvent.
 */
import { Money } from '@hz/money';
import {
  claimFilingOf,
  type ApplicantEvent,
  type ClaimApproved,
  type ClaimRevoked,
  type DisbursementRecorded,
  type RecoveryRecorded,
} from '../events';
import { InvariantViolation } from '../errors';
import type { ApplicantCommand } from '../commands';
import { applicantCommandDefinition, applicantOfCommand } from '../command-registry';
import type { DecisionContext } from '../context';
import type { Decider } from '../decider';
import { authorize } from '../guards';
import {
  initialApplicantState,
  type ApplicantState,
  type Approval,
  type ClaimState,
  type FunderAmounts,
  type MoneyMovement,
  type RegisteredApplicant,
} from './state';

export function decideApplicant(
  command: ApplicantCommand,
  state: ApplicantState,
  context: DecisionContext,
): readonly ApplicantEvent[] {
  const definition = applicantCommandDefinition(command.type);
  // An unregistered type has no roles: authorize refuses it (COMMAND.UNKNOWN_TYPE) after the metadata checks.
  authorize(command, applicantOfCommand(command), definition?.roles);
  return (definition as NonNullable<typeof definition>).decide(command, state, context);
}

export const applicantDecider: Decider<
  ApplicantCommand,
  ApplicantState,
  ApplicantEvent,
  DecisionContext
> = {
  initialState: initialApplicantState,
  evolve: evolveApplicant,
  decide: decideApplicant,
};

// ---- evolve ----

/**
 * evolve for the applicant stream: pure, total over ApplicantEvent. An event that cannot follow the
 * current state means the stream is corrupt (or an upcaster is missing), so it throws loudly rather
 * than guessing.
 */
/** Events as read back may carry metadata; the actor is a fallback for decisions stored without it in data. */
export type ApplicantEventInput = ApplicantEvent & {
  readonly metadata?: { readonly actor?: string };
};

export function evolveApplicant(state: ApplicantState, event: ApplicantEventInput): ApplicantState {
  if (event.type === 'ApplicantRegistered') {
    if (state.status !== 'unregistered') throw corrupt(event, 'applicant registered twice');
    const { uscc, name, district } = event.data;
    return {
      status: 'registered',
      uscc,
      name,
      district,
      integrityFlag: null,
      claims: {},
      claimCount: 0,
    };
  }
  if (state.status !== 'registered') throw corrupt(event, 'event before registration');
  switch (event.type) {
    case 'ApplicantRelocated':
      return { ...state, district: event.data.toDistrict };
    case 'IntegrityFlagRaised':
      return { ...state, integrityFlag: { reason: event.data.reason } };
    case 'IntegrityFlagCleared':
      return { ...state, integrityFlag: null };
    case 'ClaimSubmitted': {
      const { data } = event;
      const claim: ClaimState = {
        status: 'submitted',
        ...claimFilingOf(data, (amount) => Money.parse(amount)),
        policyId: data.policyId,
        catalogHash: data.catalogHash,
        assessment: data.assessment,
        submittedOn: data.submittedOn ?? null,
        submittedBy: event.metadata?.actor ?? null,
      };
      return {
        ...state,
        claims: { ...state.claims, [data.claimId]: claim },
        claimCount: state.claimCount + 1,
      };
    }
    default:
      return evolveClaimOf(state, event);
  }
}

function evolveClaimOf(state: RegisteredApplicant, event: ApplicantEventInput): ApplicantState {
  if (!('claimId' in event.data)) throw corrupt(event, 'unexpected event');
  const claim = state.claims[event.data.claimId];
  if (claim === undefined) throw corrupt(event, 'event for an unknown claim');
  return { ...state, claims: { ...state.claims, [claim.claimId]: evolveClaim(claim, event) } };
}

function evolveClaim(claim: ClaimState, event: ApplicantEventInput): ClaimState {
  switch (event.type) {
    case 'ClaimWithdrawn':
      if (claim.status !== 'submitted') break;
      return { ...claim, status: 'withdrawn', reason: event.data.reason };
    case 'ClaimRejected':
      if (claim.status !== 'submitted') break;
      return rejectedClaim(claim, event.data.reasons, null);
    case 'ClaimApproved': {
      if (claim.status !== 'submitted') break;
      const approval = approvalOf(event, event.metadata?.actor);
      if (approval.countersignRequired)
        return { ...claim, status: 'pending_countersign', approval };
      return approvedClaim(claim, approval, null);
    }
    case 'ApprovalCountersigned':
      if (claim.status !== 'pending_countersign') break;
      return approvedClaim(
        claim,
        claim.approval,
        event.data.countersignedBy ?? event.metadata?.actor ?? '',
      );
    case 'ApprovalCountersignRejected':
      if (claim.status !== 'pending_countersign') break;
      return rejectedClaim(claim, event.data.reasons, claim.approval);
    case 'DisbursementRecorded': {
      if (claim.status !== 'approved') break;
      const { paymentRef, paidAt } = event.data;
      const [paid, payments] = added(claim.paid, claim.payments, event.data, paymentRef, paidAt);
      return { ...claim, paid, payments };
    }
    case 'ClaimRevoked':
      if (claim.status !== 'approved') break;
      return revoke(claim, event);
    case 'RecoveryRecorded': {
      if (claim.status !== 'revoked') break;
      const { recoveryRef, recoveredAt } = event.data;
      const [recovered, recoveries] = added(
        claim.recovered,
        claim.recoveries,
        event.data,
        recoveryRef,
        recoveredAt,
      );
      return { ...claim, recovered, recoveries };
    }
    default:
      break;
  }
  throw corrupt(event, `cannot follow claim status ${claim.status}`);
}

export const ZERO_PAIR: FunderAmounts = { city: Money.ZERO, district: Money.ZERO };

export function addTo(
  pair: FunderAmounts,
  funder: keyof FunderAmounts,
  amount: Money,
): FunderAmounts {
  return { ...pair, [funder]: pair[funder].plus(amount) };
}

/** Approved with nothing paid yet: directly, or on the countersignature (docs/policy.md §7, Countersign). */
function approvedClaim(
  claim: Extract<ClaimState, { status: 'submitted' | 'pending_countersign' }>,
  approval: Approval,
  countersignedBy: string | null,
): ClaimState {
  return { ...claim, status: 'approved', approval, countersignedBy, paid: ZERO_PAIR, payments: [] };
}

/** A rejection at review (nothing overturned) or at countersign (the approval it overturns). */
function rejectedClaim(
  claim: Extract<ClaimState, { status: 'submitted' | 'pending_countersign' }>,
  reasons: readonly string[],
  overturnedApproval: Approval | null,
): ClaimState {
  return { ...claim, status: 'rejected', reasons, overturnedApproval };
}

function approvalOf(event: ClaimApproved, actor: string | undefined): Approval {
  const { data } = event;
  return {
    amount: Money.parse(data.amount),
    approvedBy: data.approvedBy ?? actor ?? '',
    reasons: data.reasons,
    policyId: data.policyId,
    catalogHash: data.catalogHash,
    ruleAmount: Money.parse(data.ruleAmount),
    ceiling: Money.parse(data.ceiling),
    countersignRequired: data.countersignRequired,
    split: {
      funding: data.split.funding,
      district: data.split.district,
      districtGroup: data.split.districtGroup,
      cityRate: data.split.cityRate,
      shares: {
        city: Money.parse(data.split.cityShare),
        district: Money.parse(data.split.districtShare),
      },
    },
  };
}

/** A payment or a recovery: the funder's total grows by the amount and the movement is appended. */
function added(
  total: FunderAmounts,
  movements: readonly MoneyMovement[],
  data: (DisbursementRecorded | RecoveryRecorded)['data'],
  reference: string,
  at: string,
): [FunderAmounts, MoneyMovement[]] {
  const { funder, district } = data;
  const amount = Money.parse(data.amount);
  return [
    addTo(total, funder, amount),
    [...movements, { funder, district, amount, reference, at }],
  ];
}

function revoke(
  claim: Extract<ClaimState, { status: 'approved' }>,
  event: ClaimRevoked,
): ClaimState {
  const { cancelled, receivable, reasons } = event.data;
  return {
    ...claim,
    status: 'revoked',
    revocationReasons: reasons,
    cancelled: { city: Money.parse(cancelled.city), district: Money.parse(cancelled.district) },
    receivable: { city: Money.parse(receivable.city), district: Money.parse(receivable.district) },
    recovered: ZERO_PAIR,
    recoveries: [],
  };
}

function corrupt(event: ApplicantEventInput, why: string): InvariantViolation {
  return new InvariantViolation(`applicant stream cannot apply ${event.type}: ${why}`, {
    type: event.type,
  });
}
