import { CommandHandler } from '@nestjs/cqrs';
import { LedgerCommandHandler } from '../../support/ledger-command.handler';
import { DecideAllocationPlanCommand } from './decide-allocation-plan.command';

@CommandHandler(DecideAllocationPlanCommand)
export class DecideAllocationPlanHandler extends LedgerCommandHandler<DecideAllocationPlanCommand> {}
