/** Which stream a command is decided on: claim ids and USCCs route without a lookup (docs/architecture.md §2). */
import {
  allocationStreamId,
  applicantOfClaimId,
  applicantStreamId,
  DomainError,
  isValidUscc,
  type AllocationCommand,
  type ApplicantCommand,
  type LedgerCommand,
} from '@hz/ledger';

export type CommandTarget =
  | {
      readonly kind: 'applicant';
      readonly streamId: string;
      readonly uscc: string;
      readonly command: ApplicantCommand;
    }
  | {
      readonly kind: 'allocation';
      readonly streamId: string;
      readonly planId: string;
      readonly command: AllocationCommand;
    };

/** Plan ids become stream names; the same bounded alphabet as payment references. */
const PLAN_ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

function requireUscc(uscc: unknown): string {
  if (!isValidUscc(uscc))
    throw new DomainError(
      'USCC.INVALID',
      'not a valid unified social credit code (GB 32100-2015)',
      { uscc: String(uscc) },
    );
  return uscc;
}

function applicantTarget(command: ApplicantCommand, uscc: string): CommandTarget {
  return { kind: 'applicant', streamId: applicantStreamId(uscc), uscc, command };
}

export function targetOf(command: LedgerCommand): CommandTarget {
  switch (command.type) {
    case 'RegisterApplicant':
    case 'RelocateApplicant':
    case 'RaiseIntegrityFlag':
    case 'ClearIntegrityFlag':
      return applicantTarget(command, requireUscc(command.data.uscc));
    case 'SubmitClaim':
      return applicantTarget(command, requireUscc(command.data.applicant));
    case 'WithdrawClaim':
    case 'DecideClaim':
    case 'CountersignApproval':
    case 'RecordDisbursement':
    case 'RevokeClaim':
    case 'RecordRecovery': {
      const uscc =
        typeof command.data.claimId === 'string'
          ? applicantOfClaimId(command.data.claimId)
          : undefined;
      if (uscc === undefined)
        throw new DomainError(
          'CLAIM.NOT_FOUND',
          `claim ${String(command.data.claimId)} does not exist`,
          { claimId: String(command.data.claimId) },
        );
      return applicantTarget(command, uscc);
    }
    case 'DecideAllocationPlan':
    case 'RecordAllocationDisbursement': {
      const { planId } = command.data;
      if (typeof planId !== 'string' || !PLAN_ID_SHAPE.test(planId)) {
        throw new DomainError(
          'COMMAND.INVALID',
          'planId must be 1..128 characters of A-Z a-z 0-9 . _ : / -',
          { field: 'planId' },
        );
      }
      return { kind: 'allocation', streamId: allocationStreamId(planId), planId, command };
    }
    default: {
      const _exhaustive: never = command;
      throw new DomainError(
        'COMMAND.UNKNOWN_TYPE',
        `unknown command ${(_exhaustive as { type?: string }).type ?? ''}`,
      );
    }
  }
}
