import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { RelocateApplicantCommand } from './relocate-applicant.command';

@CommandHandler(RelocateApplicantCommand)
export class RelocateApplicantHandler extends LedgerCommandHandler<RelocateApplicantCommand> {}
