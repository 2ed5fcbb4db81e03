import type { RevokeClaim } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class RevokeClaimCommand extends LedgerBusCommand<RevokeClaim> {}
