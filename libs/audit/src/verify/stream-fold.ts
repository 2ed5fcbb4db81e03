/**
 * What verify's stream-by-stream pass does with each stored row (issue 13, ./verify-ledger.ts): the
 * chain check, the invariant fold (applicant state released at each stream's end), the period-close check
 * and the audits that visit events. The single-threaded pass and each worker thread of the parallel one
 * (./parallel-verify.ts, ./verify-worker.ts) run this same fold, over all streams or over their share.
 */
import type { RawEventRow } from '@hz/event-store/rows';
import type { DecisionOracle } from '../invariants/decision-oracle';
import { PositionOrderedSink } from '../invariants/findings';
import { InvariantChecker } from '../invariants/invariant-checker';
import type { PeriodCloseAudit } from '../invariants/period-close-audit';
import { FingerprintReferenceAudit } from '../invariants/reference-audit';
import { eventOfRow, rowHashes } from '../log/raw-events';
import { StreamChainCheck } from './stream-chain-check';
import type { LogAudit } from './verify-ledger';

export class StreamFold {
  readonly sink: PositionOrderedSink;
  readonly references = new FingerprintReferenceAudit();
  readonly checker: InvariantChecker;
  readonly chains = new StreamChainCheck();
  private streamId: string | undefined;

  constructor(
    findingsMax: number,
    oracle: DecisionOracle | undefined,
    private readonly periodAudit: PeriodCloseAudit | null,
    private readonly visiting: readonly LogAudit[] = [],
  ) {
    this.sink = new PositionOrderedSink(findingsMax);
    this.checker = new InvariantChecker(this.sink, oracle, this.references);
  }

  /** One row; the rows of a stream arrive together, in revision order. */
  visit(row: RawEventRow): void {
    if (row.streamId !== this.streamId) {
      if (this.streamId !== undefined) this.checker.releaseStream();
      this.streamId = row.streamId;
    }
    const hashes = rowHashes(row);
    this.chains.visit(row, hashes);
    // A first reservation is read by no check (docs/invariants.md 4): its data stays unparsed.
    if (row.type === 'ReferenceReserved' && row.revision === 0n && this.visiting.length === 0)
      return this.checker.skip();
    const event = hashes.event ?? eventOfRow(row);
    this.checker.apply(event);
    this.periodAudit?.visit(event);
    for (const audit of this.visiting) audit.visit?.(event);
  }

  /** After the last row: the last stream's state is released too. */
  finish(): void {
    this.checker.releaseStream();
    this.streamId = undefined;
  }
}
