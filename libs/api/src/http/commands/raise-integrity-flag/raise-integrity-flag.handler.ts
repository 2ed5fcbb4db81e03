import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { RaiseIntegrityFlagCommand } from './raise-integrity-flag.command';

@CommandHandler(RaiseIntegrityFlagCommand)
export class RaiseIntegrityFlagHandler extends LedgerCommandHandler<RaiseIntegrityFlagCommand> {}
