import type { RecordDisbursement } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class RecordDisbursementCommand extends LedgerBusCommand<RecordDisbursement> {}
