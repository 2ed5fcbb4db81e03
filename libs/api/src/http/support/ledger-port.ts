/**
 * What the HTTP side needs of the LedgerService (libs/application, @hz/application), stated structurally so the
 * edge depends on the shape of ExecuteResult, not on the service's construction.
 */
import type { LedgerCommand } from '@hz/ledger';

export type LedgerCommandResult =
  | { readonly kind: 'applicant'; readonly uscc: string; readonly applicant: unknown }
  | {
      readonly kind: 'claim';
      readonly claimId: string;
      readonly status: string;
      readonly claim: unknown;
      readonly assessment: unknown;
    }
  | { readonly kind: 'allocation'; readonly planId: string; readonly plan: unknown };

export interface LedgerWriteResult {
  readonly position: bigint;
  /** True when the ledger found the command already recorded (a retry after a lost response). */
  readonly replayed: boolean;
  readonly result: LedgerCommandResult;
}

export interface LedgerWriter {
  execute(command: LedgerCommand): Promise<LedgerWriteResult>;
}

export interface LedgerReader {
  getApplicant(uscc: string): Promise<unknown>;
  getClaim(claimId: string): Promise<unknown>;
  getClaimHistory(claimId: string): Promise<unknown>;
}
