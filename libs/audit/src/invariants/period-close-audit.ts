/**
 * Verify's period-close check (issue 18; docs/operations.md "Period close", docs/invariants.md): once a
 * fiscal year is closed for a funder, a payment, recovery or allocation payment dated inside it may only
 * enter the log as a PostCloseAdjustmentRecorded on the period's stream. A DisbursementRecorded,
 * RecoveryRecorded or AllocationDisbursementRecorded dated inside a closed (funder, period) and positioned
 * after the PeriodClosed that closed it is a finding `PERIOD.MOVEMENT_AFTER_CLOSE` (check `period-close`):
 * the command path refuses such a movement (PERIOD.CLOSED, with the period stream's revision as an append
 * condition), so one in the log was written around it.
 *
 * The closes are read first, from the period streams (`period-2000` … `period-2099`, PERIOD_YEARS of
 * @hz/ledger; a handful of events), so the check works in verify's stream-by-stream pass as in position order:
 * each movement is judged as it passes, and findings are kept in log order. Memory: the closes and at
 * most 2 × findingsMax findings.
 */
import { StreamNotFound, type EventStore, type RecordedEvent } from '@hz/event-store/rows';
import { datedMovementOf, PERIOD_YEARS, periodStreamId, type PeriodClosed } from '@hz/ledger';
import { PositionOrderedSink } from './findings';

const closeKey = (period: string, funder: string): string => `${period} ${funder}`;

export class PeriodCloseAudit {
  readonly sink: PositionOrderedSink;

  private constructor(
    /** `${period} ${funder}` → position of the first PeriodClosed that closed it. */
    private readonly closes: ReadonlyMap<string, bigint>,
    findingsMax: number,
  ) {
    this.sink = new PositionOrderedSink(findingsMax);
  }

  /** The audit of the log up to `untilPosition`, or null when no period is closed there (nothing to check). */
  static async load(
    store: EventStore,
    untilPosition: bigint,
    findingsMax: number,
  ): Promise<PeriodCloseAudit | null> {
    const closes = new Map<string, bigint>();
    for (const year of PERIOD_YEARS) {
      let events: RecordedEvent[];
      try {
        events = await store.readStream(periodStreamId(year));
      } catch (error) {
        if (error instanceof StreamNotFound) continue;
        throw error;
      }
      for (const event of events) {
        if (event.type !== 'PeriodClosed' || event.position > untilPosition) continue;
        const data = event.data as unknown as PeriodClosed['data'];
        for (const funder of Array.isArray(data.funders) ? data.funders : []) {
          const key = closeKey(String(data.period), String(funder));
          if (!closes.has(key)) closes.set(key, event.position);
        }
      }
    }
    return closes.size === 0 ? null : new PeriodCloseAudit(closes, findingsMax);
  }

  /** The closes as plain data, for a worker thread of verify (../verify/parallel-verify.ts). */
  closeEntries(): Array<readonly [string, bigint]> {
    return [...this.closes];
  }

  /** The audit a worker thread runs over its share of the streams, with the closes the coordinator read. */
  static fromCloses(
    closes: Iterable<readonly [string, bigint]>,
    findingsMax: number,
  ): PeriodCloseAudit {
    return new PeriodCloseAudit(new Map(closes), findingsMax);
  }

  /** Judges one event of the pass (any order); only dated movements can be findings. */
  visit(event: RecordedEvent): void {
    const movement = datedMovementOf(event.type, event.data);
    if (movement === null || movement.period === null) return;
    const closedAt = this.closes.get(closeKey(movement.period, movement.funder));
    if (closedAt === undefined || event.position <= closedAt) return;
    const claimId = event.data['claimId'];
    this.sink.add({
      check: 'period-close',
      code: 'PERIOD.MOVEMENT_AFTER_CLOSE',
      message: `${event.type} dated ${movement.datedOn} for ${movement.funder} was recorded after period ${movement.period} was closed (position ${closedAt}), not as a post-close adjustment`,
      position: event.position.toString(),
      streamId: event.streamId,
      revision: event.revision.toString(),
      ...(typeof claimId === 'string' ? { claimId } : {}),
    });
  }
}
