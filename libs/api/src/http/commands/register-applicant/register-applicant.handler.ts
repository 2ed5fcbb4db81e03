import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { RegisterApplicantCommand } from './register-applicant.command';

@CommandHandler(RegisterApplicantCommand)
export class RegisterApplicantHandler extends LedgerCommandHandler<RegisterApplicantCommand> {}
