/**
 * The allocation-plan decider (clause 九, docs/policy.md §6): one allocation-{planId} stream per plan.
 * `decide` only authorises and routes: each command's function (./plan.ts) is named by its entry in the
 * command registry (../command-registry.ts).
 */
import { Money } from '@hz/money';
import type { AllocationEvent } from '../events';
import { InvariantViolation } from '../errors';
import type { AllocationCommand } from '../commands';
import { allocationCommandDefinition } from '../command-registry';
import type { DecisionContext } from '../context';
import type { Decider } from '../decider';
import { authorize } from '../guards';
import { initialAllocationState, type AllocationState, type DistrictAllotment } from './state';

export { ALLOCATION_PROGRAM_CODE } from './plan';

export function decideAllocation(
  command: AllocationCommand,
  state: AllocationState,
  context: DecisionContext,
): readonly AllocationEvent[] {
  const definition = allocationCommandDefinition(command.type);
  // An unregistered type has no roles: authorize refuses it (COMMAND.UNKNOWN_TYPE) after the metadata checks.
  authorize(command, null, definition?.roles);
  return (definition as NonNullable<typeof definition>).decide(command, state, context);
}

export const allocationDecider: Decider<
  AllocationCommand,
  AllocationState,
  AllocationEvent,
  DecisionContext
> = {
  initialState: initialAllocationState,
  evolve: evolveAllocation,
  decide: decideAllocation,
};

// ---- evolve ----

export function evolveAllocation(state: AllocationState, event: AllocationEvent): AllocationState {
  switch (event.type) {
    case 'AllocationPlanDecided': {
      if (state.status !== 'undecided')
        throw new InvariantViolation('allocation plan decided twice', {
          planId: event.data.planId,
        });
      const allotments: { [district: string]: DistrictAllotment } = {};
      for (const row of event.data.allocations) {
        allotments[row.district] = {
          district: row.district,
          score: row.score,
          amount: Money.parse(row.amount),
          paid: Money.ZERO,
        };
      }
      const { planId, decidedAt, policyId, catalogHash, programCode } = event.data;
      return {
        status: 'decided',
        planId,
        pool: Money.parse(event.data.pool),
        decidedAt,
        policyId,
        catalogHash,
        programCode,
        allotments,
        payments: [],
      };
    }
    case 'AllocationDisbursementRecorded': {
      const allotment =
        state.status === 'decided' ? state.allotments[event.data.district] : undefined;
      if (state.status !== 'decided' || allotment === undefined) {
        throw new InvariantViolation('allocation disbursement without an allotment', {
          district: event.data.district,
        });
      }
      const amount = Money.parse(event.data.amount);
      const { district, paymentRef, paidAt } = event.data;
      return {
        ...state,
        allotments: {
          ...state.allotments,
          [district]: { ...allotment, paid: allotment.paid.plus(amount) },
        },
        payments: [...state.payments, { district, amount, paymentRef, paidAt }],
      };
    }
    default: {
      const _exhaustive: never = event;
      throw new InvariantViolation('unknown allocation event', {
        type: (_exhaustive as { type?: string }).type ?? '',
      });
    }
  }
}
