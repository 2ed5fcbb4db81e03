/**
 * The two kinds of decision stream behind one shape, so the service's load–decide–append loop is
 * written once. Each model closes over its typed command and the decision context. Reading a stream and
 * folding it onto a model's state are here too (the service, the fold cache and the reader use them).
 */
import {
  allocationDecider,
  applicantDecider,
  type AllocationState,
  type CommandTarget,
  type ApplicantState,
  type DecisionContext,
  type Decider,
  type LedgerEvent,
} from '@hz/ledger';
import {
  StreamNotFound,
  type EventStore,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@hz/event-store';
import { toLedgerEvent } from './event-envelope';
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

/** A stream that does not exist yet is an empty history, decided from the initial state. */
export async function readStreamOrEmpty(
  store: EventStore,
  streamId: string,
  options?: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  try {
    return await (options === undefined
      ? store.readStream(streamId)
      : store.readStream(streamId, options));
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

/** Folds recorded events onto `state` (the initial state unless given: a cached fold continues from there). */
export function foldRecorded<TState>(
  model: Pick<StreamModel<TState>, 'initialState' | 'evolve'>,
  recorded: readonly RecordedEvent[],
  state: TState = model.initialState(),
): TState {
  let folded = state;
  for (const event of recorded) folded = model.evolve(folded, toLedgerEvent(event));
  return folded;
}
