import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { DecideClaimCommand } from './decide-claim.command';

@CommandHandler(DecideClaimCommand)
export class DecideClaimHandler extends LedgerCommandHandler<DecideClaimCommand> {}
