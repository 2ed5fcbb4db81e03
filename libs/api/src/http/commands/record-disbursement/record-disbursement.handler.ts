import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { RecordDisbursementCommand } from './record-disbursement.command';

@CommandHandler(RecordDisbursementCommand)
export class RecordDisbursementHandler extends LedgerCommandHandler<RecordDisbursementCommand> {}
