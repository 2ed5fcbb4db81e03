import type { RegisterApplicant } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class RegisterApplicantCommand extends LedgerBusCommand<RegisterApplicant> {}
