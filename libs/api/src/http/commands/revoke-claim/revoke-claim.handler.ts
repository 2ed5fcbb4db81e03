import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { RevokeClaimCommand } from './revoke-claim.command';

@CommandHandler(RevokeClaimCommand)
export class RevokeClaimHandler extends LedgerCommandHandler<RevokeClaimCommand> {}
