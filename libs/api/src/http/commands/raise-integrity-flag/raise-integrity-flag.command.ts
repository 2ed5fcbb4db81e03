import type { RaiseIntegrityFlag } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class RaiseIntegrityFlagCommand extends LedgerBusCommand<RaiseIntegrityFlag> {}
