import type { WithdrawClaim } from '@hz/ledger';
import { LedgerBusCommand } from '../../support/ledger-command.handler';

export class WithdrawClaimCommand extends LedgerBusCommand<WithdrawClaim> {}
