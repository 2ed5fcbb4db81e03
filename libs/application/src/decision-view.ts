/**
 * The view a reviewer decided from (issue 18; libs/ledger/src/applicant/stale-view.ts): a DecideClaim that
 * names a `viewPosition` is decided with the applicant stream folded up to that log position beside the
 * current fold, so the pure decider can compare the figures seen with the figures now. Positions of one
 * stream only grow, so the view is a prefix of the stream and does not move between append attempts.
 */
import type { EventStore } from '@hz/event-store';
import {
  viewPositionOf,
  type ApplicantState,
  type CommandTarget,
  type DecisionContext,
} from '@hz/ledger';
import { foldRecorded, modelOf, readStreamOrEmpty, type StreamModel } from './stream-models';

/** The context to decide the target's command with: `context`, plus the view when the command names one. */
export async function decisionContextFor(
  store: EventStore,
  target: CommandTarget,
  context: DecisionContext,
): Promise<DecisionContext> {
  if (target.kind !== 'applicant' || target.command.type !== 'DecideClaim') return context;
  // A malformed position is refused here (400 COMMAND.INVALID) before the stream is read.
  const position = viewPositionOf(target.command.data);
  if (position === undefined) return context;
  const limit = BigInt(position);
  const recorded = await readStreamOrEmpty(store, target.streamId);
  const seen = recorded.filter((event) => event.position <= limit);
  const model = modelOf(target, context) as StreamModel<ApplicantState>;
  return { ...context, view: { position, state: foldRecorded(model, seen) } };
}
