/** Registration, relocation and integrity flags (clause 十) of an applicant. */
import { isKnownDistrict } from '@hz/policy';
import type {
  ClearIntegrityFlag,
  RaiseIntegrityFlag,
  RegisterApplicant,
  RelocateApplicant,
} from '../commands';
import type { DecisionContext } from '../context';
import { DomainError } from '../errors';
import type {
  ApplicantRegistered,
  ApplicantRelocated,
  IntegrityFlagCleared,
  IntegrityFlagRaised,
} from '../events';
import { instantOf, isAfterNow, requireText } from '../guards';
import { isValidUscc } from '../guards';
import type { ApplicantState, RegisteredApplicant } from './state';

function requireKnownDistrict(context: DecisionContext, district: unknown): string {
  if (typeof district !== 'string' || !isKnownDistrict(context.catalog, district)) {
    throw new DomainError('APPLICANT.UNKNOWN_DISTRICT', `unknown district ${String(district)}`, {
      district: String(district),
    });
  }
  return district;
}

/** Administrative commands address an applicant that must exist (404 otherwise). */
export function requireRegistered(state: ApplicantState, uscc: string): RegisteredApplicant {
  if (state.status !== 'registered')
    throw new DomainError('APPLICANT.NOT_FOUND', `applicant ${uscc} is not registered`, { uscc });
  return state;
}

export function registerApplicant(
  command: RegisterApplicant,
  state: ApplicantState,
  context: DecisionContext,
): [ApplicantRegistered] {
  const { uscc } = command.data;
  if (!isValidUscc(uscc))
    throw new DomainError(
      'USCC.INVALID',
      'not a valid unified social credit code (GB 32100-2015)',
      { uscc: String(uscc) },
    );
  if (state.status !== 'unregistered')
    throw new DomainError(
      'APPLICANT.ALREADY_REGISTERED',
      `applicant ${uscc} is already registered`,
      { uscc },
    );
  const name = requireText(command.data.name, 'APPLICANT.NAME_REQUIRED', 'name');
  const district = requireKnownDistrict(context, command.data.district);
  return [{ type: 'ApplicantRegistered', data: { uscc, name, district } }];
}

export function relocateApplicant(
  command: RelocateApplicant,
  state: ApplicantState,
  context: DecisionContext,
): [ApplicantRelocated] {
  const applicant = requireRegistered(state, command.data.uscc);
  const toDistrict = requireKnownDistrict(context, command.data.district);
  const { effectiveDate } = command.data;
  if (
    typeof effectiveDate !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(effectiveDate) ||
    Number.isNaN(instantOf(effectiveDate))
  ) {
    throw new DomainError('COMMAND.INVALID', 'effectiveDate must be an ISO date (YYYY-MM-DD)', {
      field: 'effectiveDate',
    });
  }
  // The district in force decides fiscal splits from the moment the event is recorded, so a relocation
  // cannot be recorded ahead of the day it takes effect.
  if (isAfterNow(effectiveDate, command.metadata.now)) {
    throw new DomainError(
      'APPLICANT.RELOCATION_IN_FUTURE',
      'a relocation is recorded on or after its effective date',
      { effectiveDate },
    );
  }
  if (toDistrict === applicant.district) {
    throw new DomainError(
      'APPLICANT.SAME_DISTRICT',
      `applicant is already registered in ${toDistrict}`,
      { district: toDistrict },
    );
  }
  return [
    {
      type: 'ApplicantRelocated',
      data: { uscc: applicant.uscc, fromDistrict: applicant.district, toDistrict, effectiveDate },
    },
  ];
}

export function raiseIntegrityFlag(
  command: RaiseIntegrityFlag,
  state: ApplicantState,
): [IntegrityFlagRaised] {
  return [{ type: 'IntegrityFlagRaised', data: flagChange(command, state) }];
}

export function clearIntegrityFlag(
  command: ClearIntegrityFlag,
  state: ApplicantState,
): [IntegrityFlagCleared] {
  return [{ type: 'IntegrityFlagCleared', data: flagChange(command, state) }];
}

/** Clause 十: a flag is raised on an unflagged applicant and cleared on a flagged one, with a reason. */
function flagChange(
  command: RaiseIntegrityFlag | ClearIntegrityFlag,
  state: ApplicantState,
): { uscc: string; reason: string } {
  const applicant = requireRegistered(state, command.data.uscc);
  const reason = requireText(command.data.reason, 'APPLICANT.REASON_REQUIRED', 'reason');
  if (command.type === 'RaiseIntegrityFlag' && applicant.integrityFlag !== null) {
    throw new DomainError(
      'APPLICANT.ALREADY_FLAGGED',
      'the applicant is already integrity-flagged',
      { reason: applicant.integrityFlag.reason },
    );
  }
  if (command.type === 'ClearIntegrityFlag' && applicant.integrityFlag === null)
    throw new DomainError('APPLICANT.NOT_FLAGGED', 'the applicant has no integrity flag to clear');
  return { uscc: applicant.uscc, reason };
}
