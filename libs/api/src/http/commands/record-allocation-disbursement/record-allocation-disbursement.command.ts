import type { RecordAllocationDisbursement } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class RecordAllocationDisbursementCommand extends LedgerBusCommand<RecordAllocationDisbursement> {}
