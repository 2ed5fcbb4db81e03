/** The verify operation as the CLI and GET /audit/verify run it: the real policy oracle, every audit on. */
import type { KeyObject } from 'node:crypto';
import type { LedgerContext } from '../env/open-stores';
import { policyDecisionOracle } from '../invariants/policy-oracle';
import type { ScanProgress } from '../log/scan-log';
import type { Checkpoint } from '../seal/checkpoint';
import { projectionRebuildAudit } from './projection-audit';
import { defaultVerifyWorkers } from './verify-partition';
import { verifyLedger, type LogAudit, type VerifyReport } from './verify-ledger';

export interface VerificationRequest {
  readonly checkpoint?: Checkpoint;
  readonly trustedPublicKey?: KeyObject;
  readonly onProgress?: (progress: ScanProgress) => void;
  readonly extraAudits?: readonly LogAudit[];
  readonly signal?: AbortSignal;
  /** `position` forces verify's one pass in position order (verify-ledger.ts); default `stream`. */
  readonly order?: 'stream' | 'position';
  /** Threads of the stream-by-stream pass (parallel-verify.ts); default the machine's cores. */
  readonly workers?: number;
}

export async function runLedgerVerification(
  context: Pick<LedgerContext, 'eventStore' | 'liveReadStore'>,
  request: VerificationRequest = {},
): Promise<VerifyReport> {
  const projectionAudit = context.liveReadStore
    ? [projectionRebuildAudit(context.eventStore, context.liveReadStore)]
    : [];
  return verifyLedger(context.eventStore, {
    oracle: policyDecisionOracle(),
    checkpoint: request.checkpoint,
    trustedPublicKey: request.trustedPublicKey,
    onProgress: request.onProgress,
    signal: request.signal,
    order: request.order,
    workers: request.workers ?? defaultVerifyWorkers(),
    extraAudits: [...projectionAudit, ...(request.extraAudits ?? [])],
  });
}
