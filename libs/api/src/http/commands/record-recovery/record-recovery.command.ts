import type { RecordRecovery } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class RecordRecoveryCommand extends LedgerBusCommand<RecordRecovery> {}
