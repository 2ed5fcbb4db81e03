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
  | 'projection-rebuild';

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

  constructor(private readonly keepMax = 1000) {}

  add(finding: Finding): void {
    this.countByCheck.set(finding.check, (this.countByCheck.get(finding.check) ?? 0) + 1);
    if (this.kept.length < this.keepMax) this.kept.push(finding);
  }

  get findings(): readonly Finding[] {
    return this.kept;
  }

  /** Adds another sink's findings after this one's, as if each had been added here (counts included). */
  absorb(other: FindingSink): void {
    for (const [check, count] of other.countByCheck)
      this.countByCheck.set(check, (this.countByCheck.get(check) ?? 0) + count);
    for (const finding of other.kept) {
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
