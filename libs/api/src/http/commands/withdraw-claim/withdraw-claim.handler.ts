import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { WithdrawClaimCommand } from './withdraw-claim.command';

@CommandHandler(WithdrawClaimCommand)
export class WithdrawClaimHandler extends LedgerCommandHandler<WithdrawClaimCommand> {}
