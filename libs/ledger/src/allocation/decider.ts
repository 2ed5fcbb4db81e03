/**
 * The allocation-plan decider (clause 九, docs/policy.md §6): one allocation-{planId} stream per plan.
 * `decide` only authorises and routes: each command's function (./plan.ts) is named by its entry in the
 * command registry (../command-registry.ts).
 */
import type { AllocationCommand } from '../commands';
import { allocationCommandDefinition } from '../command-registry';
import type { DecisionContext } from '../context';
import type { Decider } from '../decider';
import type { AllocationEvent } from '../events';
import { authorize } from '../guards';
import { evolveAllocation } from './evolve';
import { initialAllocationState, type AllocationState } from './state';

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
