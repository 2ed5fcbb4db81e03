/**
 * The applicant decider (docs/style.md): the applicant-{uscc} stream is the consistency boundary for every
 * per-applicant cap and one-time flag, so one decider covers the applicant and all of its claims.
 * `decide` only authorises and routes: each command's function is named by its entry in the command
 * registry (../command-registry.ts).
 */
import type { ApplicantCommand } from '../commands';
import { applicantCommandDefinition, applicantOfCommand } from '../command-registry';
import type { DecisionContext } from '../context';
import type { Decider } from '../decider';
import type { ApplicantEvent } from '../events';
import { authorize } from '../guards';
import { evolveApplicant } from './evolve';
import { initialApplicantState, type ApplicantState } from './state';

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
