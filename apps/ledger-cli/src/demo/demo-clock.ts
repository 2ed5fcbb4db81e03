/**
 * The demo's deterministic clock: it jumps to the start of each phase of the policy year and advances a
 * fixed step per command, so commands carry realistic, strictly increasing business times and the store's
 * ledger time (recordedAt) follows them. A seeded demo is then the same ledger on every run.
 */
import type { Clock } from '@hz/event-store';

export const DEMO_STEP_MS = 1000;

export class DemoClock implements Clock {
  private currentMs: number;

  constructor(startIso: string) {
    this.currentMs = Date.parse(startIso);
    if (!Number.isFinite(this.currentMs)) throw new RangeError(`not an ISO time: ${startIso}`);
  }

  /** The store reads this for recordedAt: the time of the command being executed. */
  now(): Date {
    return new Date(this.currentMs);
  }

  /** Moves forward to a phase start; never back, so ledger time stays monotonic across phases. */
  advanceTo(iso: string): void {
    const targetMs = Date.parse(iso);
    if (targetMs > this.currentMs) this.currentMs = targetMs;
  }

  /** The time of the next command. */
  tick(): string {
    this.currentMs += DEMO_STEP_MS;
    return new Date(this.currentMs).toISOString();
  }

  /** The current business date (UTC+8, Hangzhou) as YYYY-MM-DD, for paidAt and recoveredAt. */
  today(): string {
    return new Date(this.currentMs + 8 * 3_600_000).toISOString().slice(0, 10);
  }
}
