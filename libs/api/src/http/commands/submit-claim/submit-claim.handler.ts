import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { SubmitClaimCommand } from './submit-claim.command';

@CommandHandler(SubmitClaimCommand)
export class SubmitClaimHandler extends LedgerCommandHandler<SubmitClaimCommand> {}
