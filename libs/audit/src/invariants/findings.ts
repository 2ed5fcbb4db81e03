/**
 * What a verification reports. Every check names itself, so a report (and its JSON) says which of the
 * docs/architecture.md §3 invariants a finding breaks, and where in the log it happened.
 */
export type CheckName =
  | 'hash-chain'
  | 'checkpoint'
  | 'annual-cap'
  | 'one-time-scope'
  | 'split-sum'
  | 'paid-within-share'
  | 'recovery-within-receivable'
  | 'unique-reference'
  | 'lifecycle'
  | 'decision-recompute'
  | 'projection-rebuild'
  | 'period-close';

export const ALL_CHECKS: readonly CheckName[] = [
  'hash-chain',
  'checkpoint',
  'annual-cap',
  'one-time-scope',
  'split-sum',
  'paid-within-share',
  'recovery-within-receivable',
  'unique-reference',
  'lifecycle',
  'decision-recompute',
  'projection-rebuild',
  'period-close',
];

export interface Finding {
  readonly check: CheckName;
  /** A stable machine code such as `CAP.EXCEEDED` (tests and dashboards match on it). */
  readonly code: string;
  readonly message: string;
  readonly position?: string;
  readonly streamId?: string;
  readonly revision?: string;
  readonly claimId?: string;
}

/**
 * A fold step's answer when the log holds an event it cannot apply at that point (a claim submitted twice,
 * a payment for an unknown plan): one lifecycle finding, the claim named when there is one.
 */
export function lifecycleFinding(
  code: string,
  message: string,
  claimId?: string,
): Omit<Finding, 'position' | 'streamId' | 'revision'>[] {
  return [{ check: 'lifecycle', code, message, ...(claimId === undefined ? {} : { claimId }) }];
}

/** Where an event sits in the log, as findings print it (bigints become strings for JSON). */
export interface EventLocation {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
}

export function findingAt(
  location: EventLocation,
  finding: Omit<Finding, 'position' | 'streamId' | 'revision'>,
): Finding {
  return {
    ...finding,
    position: location.position.toString(),
    streamId: location.streamId,
    revision: location.revision.toString(),
  };
}

/** Collects findings with a bound, so a badly broken ledger cannot exhaust memory with a million of them. */
export class FindingSink {
  private readonly kept: Finding[] = [];
  private readonly countByCheck = new Map<CheckName, number>();

  constructor(protected readonly keepMax = 1000) {}

  add(finding: Finding): void {
    this.count(finding);
    if (this.kept.length < this.keepMax) this.kept.push(finding);
  }

  protected count(finding: Finding): void {
    this.countByCheck.set(finding.check, (this.countByCheck.get(finding.check) ?? 0) + 1);
  }

  protected countByCheckEntries(): Iterable<readonly [CheckName, number]> {
    return this.countByCheck.entries();
  }

  protected addCounts(counts: Iterable<readonly [CheckName, number]>): void {
    for (const [check, count] of counts)
      this.countByCheck.set(check, (this.countByCheck.get(check) ?? 0) + count);
  }

  get findings(): readonly Finding[] {
    return this.kept;
  }

  /** Adds another sink's findings after this one's, as if each had been added here (counts included). */
  absorb(other: FindingSink): void {
    for (const [check, count] of other.countByCheck)
      this.countByCheck.set(check, (this.countByCheck.get(check) ?? 0) + count);
    for (const finding of other.findings) {
      if (this.kept.length >= this.keepMax) break;
      this.kept.push(finding);
    }
  }

  get total(): number {
    let total = 0;
    for (const count of this.countByCheck.values()) total += count;
    return total;
  }

  counts(): Readonly<Record<CheckName, number>> {
    return Object.fromEntries(
      ALL_CHECKS.map((check) => [check, this.countByCheck.get(check) ?? 0]),
    ) as Record<CheckName, number>;
  }
}

/** A PositionOrderedSink's findings as plain data (a worker thread posts them to the coordinator). */
export interface OrderedFindings {
  readonly entries: ReadonlyArray<{ readonly finding: Finding; readonly phase: number }>;
  readonly counts: ReadonlyArray<readonly [CheckName, number]>;
}

/**
 * A sink for findings that arrive out of position order (verify's stream-by-stream pass, issue 13): it
 * keeps the `keepMax` findings earliest in the log, and lists them in log order, so the report is the one a
 * pass in position order gives. Findings of one event keep their order; `phase` 0 puts a finding before
 * the event's others (the reference check runs first for an event, docs/invariants.md 4). Memory: at most
 * 2 × keepMax findings at any time.
 */
export class PositionOrderedSink extends FindingSink {
  private entries: Array<{
    readonly finding: Finding;
    readonly position: bigint;
    readonly phase: number;
    readonly seq: number;
  }> = [];
  private seq = 0;

  override add(finding: Finding, phase = 1): void {
    this.count(finding);
    const position = finding.position === undefined ? -1n : BigInt(finding.position);
    this.entries.push({ finding, position, phase, seq: (this.seq += 1) });
    if (this.entries.length >= 2 * this.keepMax) this.trim();
  }

  override get findings(): readonly Finding[] {
    this.trim();
    return this.entries.map((entry) => entry.finding);
  }

  /**
   * What this sink holds, as a worker thread posts it (structured clone): the kept findings in log order
   * with their phase, and every finding counted (verify on worker threads, ./parallel-verify.ts).
   */
  snapshot(): OrderedFindings {
    this.trim();
    return {
      entries: this.entries.map(({ finding, phase }) => ({ finding, phase })),
      counts: [...this.countByCheckEntries()],
    };
  }

  /**
   * Adds a snapshot of another sink, as if its findings had been added here: the earliest `keepMax` of
   * both are kept, in log order. Two sinks never hold findings of the same event (a worker reads whole
   * streams), so the order within one event is the snapshot's own.
   */
  merge(other: OrderedFindings): void {
    this.addCounts(other.counts);
    for (const { finding, phase } of other.entries) {
      const position = finding.position === undefined ? -1n : BigInt(finding.position);
      this.entries.push({ finding, position, phase, seq: (this.seq += 1) });
      if (this.entries.length >= 2 * this.keepMax) this.trim();
    }
  }

  private trim(): void {
    this.entries.sort((a, b) =>
      a.position !== b.position
        ? a.position < b.position
          ? -1
          : 1
        : a.phase !== b.phase
          ? a.phase - b.phase
          : a.seq - b.seq,
    );
    if (this.entries.length > this.keepMax) this.entries.length = this.keepMax;
  }
}
