/**
 * The two kinds of decision stream behind one shape, so the service's load–decide–append loop is
 * written once. Each model closes over its typed command and the decision context.
 */
import {
  allocationDecider,
  applicantDecider,
  type AllocationEvent,
  type AllocationState,
  type CommandTarget,
  type ApplicantEventInput,
  type ApplicantState,
  type DecisionContext,
  type LedgerCommand,
  type LedgerEvent,
} from '@hz/ledger';
import { allocationResult, applicantResult, type CommandResult } from './results';

export interface StreamModel<TState> {
  /** Which decider this is; the stream cache keeps states of one kind apart from the other. */
  readonly kind: CommandTarget['kind'];
  readonly initialState: () => TState;
  /** Throws on an event that cannot belong to this stream: a corrupt stream must not be decided on. */
  readonly evolve: (state: TState, event: LedgerEvent) => TState;
  readonly decide: (state: TState) => readonly LedgerEvent[];
  readonly result: (state: TState, events: readonly LedgerEvent[]) => CommandResult;
}

export function applicantModel(
  command: Extract<CommandTarget, { kind: 'applicant' }>['command'],
  context: DecisionContext,
): StreamModel<ApplicantState> {
  return {
    kind: 'applicant',
    initialState: applicantDecider.initialState,
    // evolveApplicant rejects every non-applicant type loudly, so the narrowing cast cannot hide corruption.
    evolve: (state, event) => applicantDecider.evolve(state, event as ApplicantEventInput),
    decide: (state) => applicantDecider.decide(command, state, context),
    result: (state, events) => applicantResult(command as LedgerCommand, state, events),
  };
}

export function allocationModel(
  command: Extract<CommandTarget, { kind: 'allocation' }>['command'],
  context: DecisionContext,
): StreamModel<AllocationState> {
  return {
    kind: 'allocation',
    initialState: allocationDecider.initialState,
    // evolveAllocation's exhaustive switch throws on any other type.
    evolve: (state, event) => allocationDecider.evolve(state, event as AllocationEvent),
    decide: (state) => allocationDecider.decide(command, state, context),
    result: (state) => allocationResult(state),
  };
}
