import type { SubmitClaim } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class SubmitClaimCommand extends LedgerBusCommand<SubmitClaim> {}
