/**
 * The applicant decider (docs/style.md): the applicant-{uscc} stream is the consistency boundary for every
 * per-applicant cap and one-time flag, so one decider covers the applicant and all of its claims.
 * `decide` only authorises and routes; each command has its own small function.
 */
import type { ApplicantCommand } from '../commands';
import type { DecisionContext } from '../context';
import type { Decider } from '../decider';
import { DomainError } from '../errors';
import { applicantOfClaimId, type ApplicantEvent } from '../events';
import { authorize } from '../guards';
import { decideClaim, countersignApproval } from './decision';
import { evolveApplicant } from './evolve';
import { recordDisbursement, recordRecovery, revokeClaim } from './payments';
import {
  clearIntegrityFlag,
  raiseIntegrityFlag,
  registerApplicant,
  relocateApplicant,
} from './profile';
import { initialApplicantState, type ApplicantState } from './state';
import { submitClaim, withdrawClaim } from './submit';

/** The USCC whose stream a command addresses (claim ids carry it); null when the id is malformed. */
export function applicantOfCommand(command: ApplicantCommand): string | null {
  switch (command.type) {
    case 'RegisterApplicant':
    case 'RelocateApplicant':
    case 'RaiseIntegrityFlag':
    case 'ClearIntegrityFlag':
      return typeof command.data.uscc === 'string' ? command.data.uscc : null;
    case 'SubmitClaim':
      return typeof command.data.applicant === 'string' ? command.data.applicant : null;
    default:
      return applicantOfClaimId(command.data.claimId) ?? null;
  }
}

export function decideApplicant(
  command: ApplicantCommand,
  state: ApplicantState,
  context: DecisionContext,
): readonly ApplicantEvent[] {
  authorize(command, applicantOfCommand(command));
  switch (command.type) {
    case 'RegisterApplicant':
      return registerApplicant(command, state, context);
    case 'RelocateApplicant':
      return relocateApplicant(command, state, context);
    case 'RaiseIntegrityFlag':
      return raiseIntegrityFlag(command, state);
    case 'ClearIntegrityFlag':
      return clearIntegrityFlag(command, state);
    case 'SubmitClaim':
      return submitClaim(command, state, context);
    case 'WithdrawClaim':
      return withdrawClaim(command, state);
    case 'DecideClaim':
      return decideClaim(command, state, context);
    case 'CountersignApproval':
      return countersignApproval(command, state);
    case 'RecordDisbursement':
      return recordDisbursement(command, state);
    case 'RevokeClaim':
      return revokeClaim(command, state);
    case 'RecordRecovery':
      return recordRecovery(command, state);
    default: {
      const _exhaustive: never = command;
      throw new DomainError(
        'COMMAND.UNKNOWN_TYPE',
        `unknown command ${(_exhaustive as { type?: string }).type ?? ''}`,
      );
    }
  }
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
