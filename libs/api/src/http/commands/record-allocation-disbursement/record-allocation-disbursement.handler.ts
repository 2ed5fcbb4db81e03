import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { RecordAllocationDisbursementCommand } from './record-allocation-disbursement.command';

@CommandHandler(RecordAllocationDisbursementCommand)
export class RecordAllocationDisbursementHandler extends LedgerCommandHandler<RecordAllocationDisbursementCommand> {}
