/**
 * The two allocation-plan commands (clause 九, docs/policy.md §6): a plan is decided once, by factor method,
 * and the city then pays each district up to its allotment. City-funded; no applicant is involved. The
 * command registry (../command-registry.ts) routes each command type to its function here.
 */
import { Money, isDecimalString, parseDecimalString } from '@hz/money';
import { allocate, findProgram, isKnownDistrict } from '@hz/policy';
import type { DecideAllocationPlan, RecordAllocationDisbursement } from '../commands';
import type { DecisionContext } from '../context';
import { assertInvariant, DomainError } from '../errors';
import type { AllocationDisbursementRecorded, AllocationPlanDecided } from '../events';
import { isAfterNow, parseAmount, requireBusinessTime, requireReference } from '../guards';
import type { AllocationState } from './state';

export const ALLOCATION_PROGRAM_CODE = 'c9-park-allocation';

function requireScores(
  command: DecideAllocationPlan,
  context: DecisionContext,
): ReadonlyArray<{ district: string; score: string }> {
  const { scores } = command.data;
  if (!Array.isArray(scores) || scores.length === 0)
    throw new DomainError('ALLOCATION.NO_POSITIVE_SCORE', 'scores must list at least one district');
  const seen = new Set<string>();
  for (const { district, score } of scores) {
    if (typeof district !== 'string' || !isKnownDistrict(context.catalog, district)) {
      throw new DomainError('ALLOCATION.UNKNOWN_DISTRICT', `unknown district ${String(district)}`, {
        district: String(district),
      });
    }
    if (seen.has(district))
      throw new DomainError(
        'ALLOCATION.DUPLICATE_DISTRICT',
        `district ${district} is scored twice`,
        { district },
      );
    seen.add(district);
    if (!isDecimalString(score))
      throw new DomainError(
        'ALLOCATION.INVALID_SCORE',
        `score of ${district} must be a decimal string`,
        { district },
      );
  }
  if (!scores.some(({ score }) => parseDecimalString(score).greaterThan(0))) {
    throw new DomainError('ALLOCATION.NO_POSITIVE_SCORE', 'at least one score must be positive');
  }
  return scores;
}

export function decideAllocationPlan(
  command: DecideAllocationPlan,
  state: AllocationState,
  context: DecisionContext,
): [AllocationPlanDecided] {
  const { catalog } = context;
  const planId = requireReference(command.data.planId, 'planId');
  if (state.status !== 'undecided')
    throw new DomainError('ALLOCATION.ALREADY_DECIDED', `plan ${planId} is already decided`, {
      planId,
    });
  if (findProgram(catalog, ALLOCATION_PROGRAM_CODE) === undefined) {
    throw new DomainError(
      'ALLOCATION.PROGRAM_UNAVAILABLE',
      `the catalog has no ${ALLOCATION_PROGRAM_CODE}`,
      { policyId: catalog.id },
    );
  }
  const pool = parseAmount(command.data.pool, 'pool');
  if (!pool.isPositive())
    throw new DomainError('ALLOCATION.POOL_NOT_POSITIVE', 'the pool must be above 0.00');
  const decidedAt = requireBusinessTime(command.data.decidedAt, 'decidedAt');
  if (isAfterNow(decidedAt, command.metadata.now))
    throw new DomainError('ALLOCATION.DATED_IN_FUTURE', 'decidedAt lies after the ledger time', {
      decidedAt,
    });
  const scores = requireScores(command, context);
  const allocations = allocate(
    catalog,
    pool,
    scores.map(({ district, score }) => ({ district, score: parseDecimalString(score) })),
  );
  // The largest-remainder method hands out every fen: the allotments add up to the pool exactly.
  assertInvariant(
    Money.sum(allocations.map((row) => row.amount)).equals(pool),
    'allotments add up to the pool',
    { planId },
  );
  const scoreOf = new Map(scores.map(({ district, score }) => [district, score]));
  return [
    {
      type: 'AllocationPlanDecided',
      data: {
        planId,
        pool: pool.toString(),
        decidedAt,
        policyId: catalog.id,
        catalogHash: catalog.hash,
        programCode: ALLOCATION_PROGRAM_CODE,
        allocations: allocations.map((row) => ({
          district: row.district,
          score: scoreOf.get(row.district) ?? row.score.toString(),
          amount: row.amount.toString(),
        })),
      },
    },
  ];
}

export function recordAllocationDisbursement(
  command: RecordAllocationDisbursement,
  state: AllocationState,
): [AllocationDisbursementRecorded] | [] {
  const { planId, district } = command.data;
  if (state.status !== 'decided')
    throw new DomainError('ALLOCATION.NOT_FOUND', `plan ${String(planId)} has not been decided`, {
      planId: String(planId),
    });
  const amount = parseAmount(command.data.amount, 'amount');
  const paymentRef = requireReference(command.data.paymentRef, 'paymentRef');
  const paidAt = requireBusinessTime(command.data.paidAt, 'paidAt');
  const previous = state.payments.find((payment) => payment.paymentRef === paymentRef);
  if (previous !== undefined) {
    if (
      previous.district === district &&
      previous.amount.equals(amount) &&
      previous.paidAt === paidAt
    )
      return [];
    throw new DomainError(
      'REFERENCE.REUSED',
      `payment reference ${paymentRef} was already used for other content`,
      { reference: paymentRef, kind: 'payment' },
    );
  }
  const allotment = state.allotments[district];
  if (allotment === undefined)
    throw new DomainError(
      'ALLOCATION.DISTRICT_NOT_ALLOCATED',
      `district ${String(district)} has no allotment in plan ${state.planId}`,
      { district: String(district) },
    );
  if (!amount.isPositive())
    throw new DomainError('DISBURSEMENT.AMOUNT_NOT_POSITIVE', 'a disbursement must be above 0.00');
  if (isAfterNow(paidAt, command.metadata.now))
    throw new DomainError('DISBURSEMENT.DATED_IN_FUTURE', 'paidAt lies after the ledger time', {
      paidAt,
    });
  if (allotment.paid.plus(amount).greaterThan(allotment.amount)) {
    throw new DomainError(
      'ALLOCATION.EXCEEDS_ALLOCATION',
      `district ${district} is allotted ${allotment.amount.toString()}, already paid ${allotment.paid.toString()}`,
      {
        district,
        allotted: allotment.amount.toString(),
        paid: allotment.paid.toString(),
        amount: amount.toString(),
      },
    );
  }
  assertInvariant(
    allotment.amount.minus(allotment.paid).greaterThanOrEqual(amount),
    'paid never exceeds the allotment',
    { district },
  );
  return [
    {
      type: 'AllocationDisbursementRecorded',
      data: { planId: state.planId, district, amount: amount.toString(), paymentRef, paidAt },
    },
  ];
}
