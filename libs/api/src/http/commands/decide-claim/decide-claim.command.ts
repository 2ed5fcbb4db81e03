import type { DecideClaim } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class DecideClaimCommand extends LedgerBusCommand<DecideClaim> {}
