import type { RelocateApplicant } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class RelocateApplicantCommand extends LedgerBusCommand<RelocateApplicant> {}
