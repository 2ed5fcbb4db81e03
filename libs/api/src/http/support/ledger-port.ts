/**
 * What the HTTP side uses of the LedgerService (@hz/application): the methods, by type, so that the edge
 * depends on what the service does and not on how it is built (the app provides it under LEDGER_SERVICE).
 */
import type { ExecuteResult, LedgerService, LedgerStreamReader } from '@hz/application';

export type LedgerWriteResult = ExecuteResult;

export type LedgerWriter = Pick<LedgerService, 'execute'>;

export type LedgerReader = Pick<
  LedgerStreamReader,
  'getApplicant' | 'getClaim' | 'getViewedClaim' | 'getClaimHistory'
>;
