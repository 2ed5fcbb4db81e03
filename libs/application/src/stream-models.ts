/**
 * The two kinds of decision stream behind one shape, so the service's load–decide–append loop is
 * written once. Each model closes over its typed command and the decision context.
 */
import {
  allocationDecider,
  applicantDecider,
  type AllocationState,
  type CommandTarget,
  type ApplicantState,
  type DecisionContext,
  type Decider,
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

function streamModel<TCommand, TState, TEvent extends LedgerEvent>(
  kind: CommandTarget['kind'],
  decider: Decider<TCommand, TState, TEvent, DecisionContext>,
  command: TCommand,
  context: DecisionContext,
  result: StreamModel<TState>['result'],
): StreamModel<TState> {
  return {
    kind,
    initialState: decider.initialState,
    // Each evolve rejects every event type of another stream loudly, so the narrowing cast cannot hide corruption.
    evolve: (state, event) => decider.evolve(state, event as TEvent),
    decide: (state) => decider.decide(command, state, context),
    result,
  };
}

/** The model of the stream a command is decided on (its target, from the command registry). */
export function modelOf(
  target: CommandTarget,
  context: DecisionContext,
): StreamModel<ApplicantState> | StreamModel<AllocationState> {
  if (target.kind === 'allocation')
    return streamModel('allocation', allocationDecider, target.command, context, (state) =>
      allocationResult(state),
    );
  return streamModel('applicant', applicantDecider, target.command, context, (state, events) =>
    applicantResult(target.command, state, events),
  );
}
