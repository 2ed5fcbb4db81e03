import type { DecideAllocationPlan } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class DecideAllocationPlanCommand extends LedgerBusCommand<DecideAllocationPlan> {}
