import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { RecordRecoveryCommand } from './record-recovery.command';

@CommandHandler(RecordRecoveryCommand)
export class RecordRecoveryHandler extends LedgerCommandHandler<RecordRecoveryCommand> {}
