import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { CountersignApprovalCommand } from './countersign-approval.command';

@CommandHandler(CountersignApprovalCommand)
export class CountersignApprovalHandler extends LedgerCommandHandler<CountersignApprovalCommand> {}
