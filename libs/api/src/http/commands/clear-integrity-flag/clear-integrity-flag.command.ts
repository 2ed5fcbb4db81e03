import type { ClearIntegrityFlag } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class ClearIntegrityFlagCommand extends LedgerBusCommand<ClearIntegrityFlag> {}
