import type { CountersignApproval } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class CountersignApprovalCommand extends LedgerBusCommand<CountersignApproval> {}
