import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { ClearIntegrityFlagCommand } from './clear-integrity-flag.command';

@CommandHandler(ClearIntegrityFlagCommand)
export class ClearIntegrityFlagHandler extends LedgerCommandHandler<ClearIntegrityFlagCommand> {}
